using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>A comment's text as the thread would show it (the form's Preview). The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class PreviewComment(ApiRoutes routes)
{
    [Function(nameof(PreviewComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Preview)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(PreviewComment), request, cancellationToken));
}
