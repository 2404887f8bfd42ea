using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner corrects a comment's text. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class EditComment(ApiRoutes routes)
{
    [Function(nameof(EditComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(EditComment), request, cancellationToken, ("id", id)));
}
