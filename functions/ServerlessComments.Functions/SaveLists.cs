using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Replaces the owner's block and hold lists. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class SaveLists(ApiRoutes routes)
{
    [Function(nameof(SaveLists))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Routes.FunctionsAdmin + "/lists")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(SaveLists), request, cancellationToken));
}
