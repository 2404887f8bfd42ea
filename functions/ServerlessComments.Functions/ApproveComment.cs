using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner approves a comment. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ApproveComment(ApiRoutes routes)
{
    [Function(nameof(ApproveComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath + "/approve")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ApproveComment), request, cancellationToken, ("id", id)));
}
