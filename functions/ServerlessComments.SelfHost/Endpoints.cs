using ServerlessComments.Web.Api;

namespace ServerlessComments.SelfHost;

public static class Endpoints
{
    /// <summary>Maps the API's route table, the same one the Function App's triggers run.</summary>
    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + Routes.Prefix);
        foreach (var route in app.ServiceProvider.GetRequiredService<ApiRoutes>().All)
        {
            var handler = route.Handler;
            api.MapMethods(route.Pattern, route.Methods, (Delegate)((HttpContext context) => handler(context.Request, context.RequestAborted)))
                .WithName(route.Name);
        }
        return app;
    }
}
