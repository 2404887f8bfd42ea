using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>Lists the owner's open console sessions. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ListSessions(ApiRoutes routes)
{
    [Function(nameof(ListSessions))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + "/sessions")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ListSessions), request, cancellationToken));
}
