namespace ServerlessComments.SelfHost;

/// <summary>
/// Which blog origins may call the API from the browser (<c>Cors__AllowedOrigins</c>: origins
/// separated by commas, or <c>*</c>). In Azure the Function App's platform CORS does this job.
/// No cookies are used, so credentials are never allowed.
/// </summary>
public sealed class CorsOptions
{
    public const string Section = "Cors";
    public string AllowedOrigins { get; set; } = "";

    public string[] Origins => AllowedOrigins.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class BlogCors
{
    public static IServiceCollection AddBlogCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.Origins ?? [];
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
                policy.AllowAnyOrigin();
            else
                policy.WithOrigins(origins);
            policy.WithMethods("GET", "POST", "PUT", "DELETE").WithHeaders("Content-Type", "Authorization", ServerlessComments.Accepting.IdempotencyKeys.Header).WithExposedHeaders("Retry-After");
        }));
        return services;
    }
}
