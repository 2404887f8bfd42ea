using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Stops every email to the link's address. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class StopYourEmails(ApiRoutes routes)
{
    [Function(nameof(StopYourEmails))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.YourData + "/stop")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(StopYourEmails), request, cancellationToken));
}
