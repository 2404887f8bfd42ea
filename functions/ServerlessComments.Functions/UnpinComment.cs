using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner unpins a comment. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class UnpinComment(ApiRoutes routes)
{
    [Function(nameof(UnpinComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.FunctionsAdmin + Routes.AdminPinPath)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(UnpinComment), request, cancellationToken, ("id", id)));
}
