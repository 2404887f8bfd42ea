using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner marks a comment not spam. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class MarkHam(ApiRoutes routes)
{
    [Function(nameof(MarkHam))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath + "/ham")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(MarkHam), request, cancellationToken, ("id", id)));
}
