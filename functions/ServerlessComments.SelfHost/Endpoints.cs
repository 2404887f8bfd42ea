using ServerlessComments.Web.Api;

namespace ServerlessComments.SelfHost;

public static class Endpoints
{
    /// <summary>Maps the API's route table, the same one the Function App's triggers run, each route
    /// through <see cref="ApiRoutes.InvokeAsync"/> (which enforces the route's declared access).</summary>
    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + Routes.Prefix);
        var routes = app.ServiceProvider.GetRequiredService<ApiRoutes>();
        foreach (var route in routes.All)
        {
            api.MapMethods(route.Pattern, route.Methods, (Delegate)((HttpContext context) => routes.InvokeAsync(route, context.Request, context.RequestAborted)))
                .WithName(route.Name);
        }
        return app;
    }
}
