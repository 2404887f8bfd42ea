using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner marks a comment spam. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class MarkSpam(ApiRoutes routes)
{
    [Function(nameof(MarkSpam))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath + "/spam")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(MarkSpam), request, cancellationToken, ("id", id)));
}
