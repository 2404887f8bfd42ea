using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The double opt-in link from a confirmation email: a page whose button confirms, changing nothing. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ConfirmRepliesPage(ApiRoutes routes)
{
    [Function(nameof(ConfirmRepliesPage))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ConfirmReplies)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ConfirmRepliesPage), request, cancellationToken, ("id", id)));
}
