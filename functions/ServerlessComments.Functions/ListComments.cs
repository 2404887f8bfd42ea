using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class ListComments(AdminApi admin)
{
    [Function(nameof(ListComments))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CommentRoutes.FunctionsAdminComments)] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResult.From(admin.ListAsync(request, cancellationToken));
}
