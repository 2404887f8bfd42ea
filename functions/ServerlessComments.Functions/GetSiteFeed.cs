using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The Atom feed of the site's recent comments. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetSiteFeed(ApiRoutes routes)
{
    [Function(nameof(GetSiteFeed))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.SiteFeed)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetSiteFeed), request, cancellationToken));
}
