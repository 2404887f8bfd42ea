using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The emailed sign-in link: a page whose button signs in, using nothing up. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ConfirmSignIn(ApiRoutes routes)
{
    [Function(nameof(ConfirmSignIn))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + "/session/signin")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ConfirmSignIn), request, cancellationToken));
}
