using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A proof-of-work challenge for the comment form. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetChallenge(ApiRoutes routes)
{
    [Function(nameof(GetChallenge))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Challenge)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetChallenge), request, cancellationToken));
}
