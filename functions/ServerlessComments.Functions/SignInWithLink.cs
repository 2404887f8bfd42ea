using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Uses a sign-in link once and sets the session cookie. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class SignInWithLink(ApiRoutes routes)
{
    [Function(nameof(SignInWithLink))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/session/signin")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(SignInWithLink), request, cancellationToken));
}
