using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The widget's scripts and style sheet. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetWidget(ApiRoutes routes)
{
    [Function(nameof(GetWidget))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Routes.Widget)] HttpRequest request,
        string file,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetWidget), request, cancellationToken, ("file", file)));
}
