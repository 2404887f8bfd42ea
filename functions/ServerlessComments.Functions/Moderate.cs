using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

/// <summary>The confirmation page's button: the owner's decision.</summary>
public sealed class Moderate(EmailLinksApi links)
{
    [Function(nameof(Moderate))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CommentRoutes.Moderate)] HttpRequest request,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        ApiResult.From(links.ModerateAsync(request, id, action, cancellationToken));
}
