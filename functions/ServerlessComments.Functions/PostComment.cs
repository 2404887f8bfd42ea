using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A reader posts a comment: validated, queued, 202. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class PostComment(ApiRoutes routes)
{
    [Function(nameof(PostComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Comments)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(PostComment), request, cancellationToken));
}
