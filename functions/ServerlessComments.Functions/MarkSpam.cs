using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class MarkSpam(AdminApi admin)
{
    [Function(nameof(MarkSpam))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CommentRoutes.FunctionsAdminComment + "/spam")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiResult.From(admin.SpamAsync(request, id, cancellationToken));
}
