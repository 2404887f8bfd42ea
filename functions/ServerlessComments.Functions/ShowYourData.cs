using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The emailed link: a page whose buttons download, stop emails, or erase; using nothing up. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ShowYourData(ApiRoutes routes)
{
    [Function(nameof(ShowYourData))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.YourData)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ShowYourData), request, cancellationToken));
}
