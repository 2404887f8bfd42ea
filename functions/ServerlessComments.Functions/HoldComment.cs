using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner puts a comment back to held (the console's undo). The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class HoldComment(ApiRoutes routes)
{
    [Function(nameof(HoldComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath + "/hold")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(HoldComment), request, cancellationToken, ("id", id)));
}
