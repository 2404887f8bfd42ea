using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner imports a WordPress, Disqus or JSON export. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ImportComments(ApiRoutes routes)
{
    [Function(nameof(ImportComments))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminImportPath)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ImportComments), request, cancellationToken));
}
