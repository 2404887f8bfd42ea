using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServerlessComments.Telemetry;

namespace ServerlessComments.SelfHost;

public static class SelfHostTelemetry
{
    /// <summary>
    /// OpenTelemetry for the self-host, only when an OTLP collector is named
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, with the exporter's other <c>OTEL_*</c> settings):
    /// the comment's trace, under the HTTP request that posted it, and the app's meter. Without
    /// the setting nothing listens, so no span or measurement is even made; logs go to the console as before.
    /// </summary>
    public static IServiceCollection AddCommentTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "serverless-comments"))
            .WithTracing(tracing => tracing
                .AddSource(CommentTracing.Name)
                // ASP.NET Core's own activity for each request: the root of the comment's trace.
                .AddSource("Microsoft.AspNetCore")
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddMeter(CommentTracing.Name).AddOtlpExporter());
        return services;
    }
}
