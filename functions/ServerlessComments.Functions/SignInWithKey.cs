using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Signs in to the console with the admin key. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class SignInWithKey(ApiRoutes routes)
{
    [Function(nameof(SignInWithKey))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/session/key")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(SignInWithKey), request, cancellationToken));
}
