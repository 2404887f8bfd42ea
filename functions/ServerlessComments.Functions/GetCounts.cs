using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Counts of up to 50 threads. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetCounts(ApiRoutes routes)
{
    [Function(nameof(GetCounts))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Counts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetCounts), request, cancellationToken));
}
