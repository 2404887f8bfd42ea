using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServerlessComments.Telemetry;

namespace ServerlessComments.Functions.Telemetry;

public static class FunctionsTelemetry
{
    /// <summary>
    /// OpenTelemetry in the worker, as the host's <c>"telemetryMode": "OpenTelemetry"</c> expects:
    /// the worker's own spans and logs, the comment's trace and the app's meter, exported to
    /// Application Insights when the app has its connection string (as Bicep sets it). The component
    /// refuses its key (local auth is off), so the exporter signs in with the app's managed identity,
    /// the one <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> names (<c>ClientId=…;Authorization=AAD</c>).
    /// Without a connection string (<c>func start</c> on a workstation) nothing is exported, so
    /// nothing listens and no span or measurement is made.
    /// </summary>
    public static FunctionsApplicationBuilder AddCommentTelemetry(this FunctionsApplicationBuilder builder)
    {
        var connectionString = builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (string.IsNullOrWhiteSpace(connectionString))
            return builder;
        var clientId = ClientIdOf(builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(CommentTracing.Name))
            .WithMetrics(metrics => metrics.AddMeter(CommentTracing.Name))
            .UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = connectionString;
                if (clientId is not null)
                    exporter.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            });
        return builder;
    }

    /// <summary>The client id in <c>ClientId=&lt;id&gt;;Authorization=AAD</c>, or null when there is none.</summary>
    internal static string? ClientIdOf(string? authenticationString) =>
        (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase) && pair[1].Length > 0)
            .Select(pair => pair[1])
            .FirstOrDefault();
}
