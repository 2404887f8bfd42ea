using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner pins a comment to the top of its thread. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class PinComment(ApiRoutes routes)
{
    [Function(nameof(PinComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminPinPath)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(PinComment), request, cancellationToken, ("id", id)));
}
