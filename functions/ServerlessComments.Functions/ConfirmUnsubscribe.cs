using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

/// <summary>A signed unsubscribe link from a reply email: a page with the choices, changing nothing.</summary>
public sealed class ConfirmUnsubscribe(EmailLinksApi links)
{
    [Function(nameof(ConfirmUnsubscribe))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CommentRoutes.Unsubscribe)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new ApiResult(links.ConfirmUnsubscribe(request, id));
}
