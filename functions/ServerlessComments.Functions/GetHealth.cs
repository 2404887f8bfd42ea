using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class GetHealth(CommentsApi api)
{
    [Function(nameof(GetHealth))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CommentRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(api.GetHealthAsync(cancellationToken));
}
