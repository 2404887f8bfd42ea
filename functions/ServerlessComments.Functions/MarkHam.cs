using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class MarkHam(AdminApi admin)
{
    [Function(nameof(MarkHam))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CommentRoutes.FunctionsAdminComment + "/ham")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(admin.HamAsync(request, id, cancellationToken));
}
