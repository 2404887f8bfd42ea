using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner's list of comments by status. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ListComments(ApiRoutes routes)
{
    [Function(nameof(ListComments))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + Routes.AdminCommentsPath)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ListComments), request, cancellationToken));
}
