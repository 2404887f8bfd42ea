using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>One comment with what a decision needs (its parent, whether the author is new, their other comments). The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetComment(ApiRoutes routes)
{
    [Function(nameof(GetComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + Routes.AdminCommentPath)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetComment), request, cancellationToken, ("id", id)));
}
