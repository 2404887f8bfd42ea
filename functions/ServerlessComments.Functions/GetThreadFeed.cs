using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The Atom feed of one thread's recent comments. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetThreadFeed(ApiRoutes routes)
{
    [Function(nameof(GetThreadFeed))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ThreadFeed)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetThreadFeed), request, cancellationToken));
}
