using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The console's session: who is signed in, and its anti-forgery token. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetSession(ApiRoutes routes)
{
    [Function(nameof(GetSession))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + "/session")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetSession), request, cancellationToken));
}
