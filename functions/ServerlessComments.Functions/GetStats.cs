using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>How many comments are held, spam and published. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetStats(ApiRoutes routes)
{
    [Function(nameof(GetStats))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + "/stats")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetStats), request, cancellationToken));
}
