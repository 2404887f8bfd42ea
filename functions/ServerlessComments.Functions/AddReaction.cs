using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A reader likes a comment or reacts to the page. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class AddReaction(ApiRoutes routes)
{
    [Function(nameof(AddReaction))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Reactions)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(AddReaction), request, cancellationToken));
}
