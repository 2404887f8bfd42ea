using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The confirmation page's button: the owner's decision. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class Moderate(ApiRoutes routes)
{
    [Function(nameof(Moderate))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Moderate)] HttpRequest request,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(Moderate), request, cancellationToken, ("id", id), ("action", action)));
}
