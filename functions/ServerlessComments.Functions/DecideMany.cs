using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>One owner's decision on several comments. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class DecideMany(ApiRoutes routes)
{
    [Function(nameof(DecideMany))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/comments/bulk")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(DecideMany), request, cancellationToken));
}
