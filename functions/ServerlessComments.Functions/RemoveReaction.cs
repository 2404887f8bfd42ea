using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A reader takes back a like or a page reaction. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class RemoveReaction(ApiRoutes routes)
{
    [Function(nameof(RemoveReaction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.Reactions)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(RemoveReaction), request, cancellationToken));
}
