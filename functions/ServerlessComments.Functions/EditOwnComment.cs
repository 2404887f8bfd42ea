using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A reader edits their own comment with its edit token. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class EditOwnComment(ApiRoutes routes)
{
    [Function(nameof(EditOwnComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Routes.Comment)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(EditOwnComment), request, cancellationToken, ("id", id)));
}
