using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A signed unsubscribe link from a reply email: a page with the choices, changing nothing. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ConfirmUnsubscribe(ApiRoutes routes)
{
    [Function(nameof(ConfirmUnsubscribe))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Unsubscribe)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ConfirmUnsubscribe), request, cancellationToken, ("id", id)));
}
