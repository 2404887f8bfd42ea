using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Ends every console session. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class SignOutEverywhere(ApiRoutes routes)
{
    [Function(nameof(SignOutEverywhere))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/sessions/signout")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(SignOutEverywhere), request, cancellationToken));
}
