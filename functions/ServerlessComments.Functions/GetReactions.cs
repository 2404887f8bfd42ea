using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A reader's widget reads a thread's likes, page reactions and pinned comment. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetReactions(ApiRoutes routes)
{
    [Function(nameof(GetReactions))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Reactions)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetReactions), request, cancellationToken));
}
