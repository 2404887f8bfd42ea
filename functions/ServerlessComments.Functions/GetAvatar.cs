using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A reader's avatar (identicon, or Gravatar/the owner's picture fetched by the backend). The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetAvatar(ApiRoutes routes)
{
    [Function(nameof(GetAvatar))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Avatar)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetAvatar), request, cancellationToken, ("id", id)));
}
