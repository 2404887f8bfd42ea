using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Downloads everything stored about the link's address, as JSON. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class DownloadYourData(ApiRoutes routes)
{
    [Function(nameof(DownloadYourData))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.YourData + "/download")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(DownloadYourData), request, cancellationToken));
}
