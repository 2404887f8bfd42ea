using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The console's script and style sheet. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class GetConsoleFile(ApiRoutes routes)
{
    [Function(nameof(GetConsoleFile))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.ConsoleFile)] HttpRequest request,
        string file,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(GetConsoleFile), request, cancellationToken, ("file", file)));
}
