using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>How much the spam filter has learnt from the owner. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetSpamFilter(ApiRoutes routes)
{
    [Function(nameof(GetSpamFilter))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + "/spam-filter")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetSpamFilter), request, cancellationToken));
}
