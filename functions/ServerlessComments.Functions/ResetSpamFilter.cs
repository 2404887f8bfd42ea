using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Forgets what the spam filter learnt from the owner. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ResetSpamFilter(ApiRoutes routes)
{
    [Function(nameof(ResetSpamFilter))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/spam-filter/reset")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ResetSpamFilter), request, cancellationToken));
}
