using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A reader deletes their own comment with its edit token. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class DeleteOwnComment(ApiRoutes routes)
{
    [Function(nameof(DeleteOwnComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.Comment)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(DeleteOwnComment), request, cancellationToken, ("id", id)));
}
