using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

/// <summary>A signed moderation link from an email: a confirmation page, changing nothing.</summary>
public sealed class ConfirmModeration(EmailLinksApi links)
{
    [Function(nameof(ConfirmModeration))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CommentRoutes.Moderate)] HttpRequest request,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        ApiResult.From(links.ConfirmModerationAsync(request, id, action, cancellationToken));
}
