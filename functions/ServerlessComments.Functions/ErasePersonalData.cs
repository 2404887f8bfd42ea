using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner erases a person's comments and records. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class ErasePersonalData(ApiRoutes routes)
{
    [Function(nameof(ErasePersonalData))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FunctionsAdmin + Routes.AdminErasePath)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(ErasePersonalData), request, cancellationToken));
}
