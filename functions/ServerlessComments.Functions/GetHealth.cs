using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Storage and Akismet, as the app sees them. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetHealth(ApiRoutes routes)
{
    [Function(nameof(GetHealth))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetHealth), request, cancellationToken));
}
