using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class GetCounts(CommentsApi api)
{
    [Function(nameof(GetCounts))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CommentRoutes.Counts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(api.GetCountsAsync(request, cancellationToken));
}
