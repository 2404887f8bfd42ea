using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A signed moderation link from an email: a confirmation page, changing nothing. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ConfirmModeration(ApiRoutes routes)
{
    [Function(nameof(ConfirmModeration))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Moderate)] HttpRequest request,
        string id,
        string action,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ConfirmModeration), request, cancellationToken, ("id", id), ("action", action)));
}
