using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Asks for a link to the reader's own data by email (the same answer whatever the address). The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class RequestYourDataLink(ApiRoutes routes)
{
    [Function(nameof(RequestYourDataLink))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.YourDataLink)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(RequestYourDataLink), request, cancellationToken));
}
