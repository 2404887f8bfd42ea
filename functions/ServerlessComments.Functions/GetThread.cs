using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A page of a thread, as stored. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetThread(ApiRoutes routes)
{
    [Function(nameof(GetThread))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Comments)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetThread), request, cancellationToken));
}
