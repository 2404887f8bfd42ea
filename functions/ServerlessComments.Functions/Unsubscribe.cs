using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Unsubscribes: from the page's buttons, or a mail client's one-click POST (RFC 8058). The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class Unsubscribe(ApiRoutes routes)
{
    [Function(nameof(Unsubscribe))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Unsubscribe)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(Unsubscribe), request, cancellationToken, ("id", id)));
}
