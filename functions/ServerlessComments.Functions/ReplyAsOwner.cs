using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner replies as the blog's author, published at once. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ReplyAsOwner(ApiRoutes routes)
{
    [Function(nameof(ReplyAsOwner))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath + "/reply")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ReplyAsOwner), request, cancellationToken, ("id", id)));
}
