using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class PostComment(CommentsApi api)
{
    [Function(nameof(PostComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CommentRoutes.Comments)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(api.PostCommentAsync(request, cancellationToken));
}
