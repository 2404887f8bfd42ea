using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class DeleteComment(AdminApi admin)
{
    [Function(nameof(DeleteComment))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = CommentRoutes.FunctionsAdminComment)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(admin.DeleteAsync(request, id, cancellationToken));
}
