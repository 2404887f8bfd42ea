using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Asks for a sign-in link by email (the same answer whatever address). The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class RequestSignInLink(ApiRoutes routes)
{
    [Function(nameof(RequestSignInLink))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + "/session/link")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(RequestSignInLink), request, cancellationToken));
}
