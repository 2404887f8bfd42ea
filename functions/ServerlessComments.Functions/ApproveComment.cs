using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class ApproveComment(AdminApi admin)
{
    [Function(nameof(ApproveComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CommentRoutes.FunctionsAdminComment + "/approve")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(admin.ApproveAsync(request, id, cancellationToken));
}
