using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

/// <summary>Unsubscribes: from the page's buttons, or a mail client's one-click POST (RFC 8058).</summary>
public sealed class Unsubscribe(EmailLinksApi links)
{
    [Function(nameof(Unsubscribe))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CommentRoutes.Unsubscribe)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(links.UnsubscribeAsync(request, id, cancellationToken));
}
