using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Ends the console session. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class SignOut(ApiRoutes routes)
{
    [Function(nameof(SignOut))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/session/signout")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(SignOut), request, cancellationToken));
}
