using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Deletes every spam comment. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class EmptySpam(ApiRoutes routes)
{
    [Function(nameof(EmptySpam))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/spam/empty")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(EmptySpam), request, cancellationToken));
}
