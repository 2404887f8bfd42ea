using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Erases the link's address (the owner's erase), and ends the link. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class EraseYourData(ApiRoutes routes)
{
    [Function(nameof(EraseYourData))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.YourData + "/erase")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(EraseYourData), request, cancellationToken));
}
