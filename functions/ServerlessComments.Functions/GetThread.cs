using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class GetThread(CommentsApi api)
{
    [Function(nameof(GetThread))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CommentRoutes.Comments)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(api.GetThreadAsync(request, cancellationToken));
}
