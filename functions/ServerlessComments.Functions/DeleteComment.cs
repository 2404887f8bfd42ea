using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner deletes a comment. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class DeleteComment(ApiRoutes routes)
{
    [Function(nameof(DeleteComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(DeleteComment), request, cancellationToken, ("id", id)));
}
