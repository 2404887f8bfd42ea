using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The API's OpenAPI description. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetOpenApi(ApiRoutes routes)
{
    [Function(nameof(GetOpenApi))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.OpenApi)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetOpenApi), request, cancellationToken));
}
