using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Http;

namespace ServerlessComments.Functions;

public sealed class GetWidget(WidgetAssets widget)
{
    [Function(nameof(GetWidget))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = WidgetAssets.Route)] HttpRequest request,
        string file) =>
        new ApiResult(widget.Serve(file));
}
