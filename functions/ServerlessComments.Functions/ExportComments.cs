using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner exports every comment. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ExportComments(ApiRoutes routes)
{
    [Function(nameof(ExportComments))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + Routes.AdminExportPath)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ExportComments), request, cancellationToken));
}
