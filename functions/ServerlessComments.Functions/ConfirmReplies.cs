using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Confirms an address wants reply emails: the confirmation page's button. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ConfirmReplies(ApiRoutes routes)
{
    [Function(nameof(ConfirmReplies))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.ConfirmReplies)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ConfirmReplies), request, cancellationToken, ("id", id)));
}
