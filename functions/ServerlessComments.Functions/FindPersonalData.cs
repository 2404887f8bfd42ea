using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Functions;

/// <summary>The owner finds a person's comments by email address. The route of the same name in <see cref="ApiRoutes"/>.</summary>
public sealed class FindPersonalData(ApiRoutes routes)
{
    [Function(nameof(FindPersonalData))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FunctionsAdmin + Routes.AdminPersonalDataPath)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(routes.RunAsync(nameof(FindPersonalData), request, cancellationToken));
}
