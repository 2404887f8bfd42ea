using ServerlessComments.Adapters.Storage;

namespace ServerlessComments.SelfHost;

/// <summary>
/// Gives the self-host the configuration the Functions host would have: host.json under the
/// <c>AzureFunctionsJobHost</c> section (where the Functions host keeps it, so the same
/// <c>AzureFunctionsJobHost__extensions__queues__…</c> overrides work in both), and defaults for
/// the settings that queue triggers name as <c>%…%</c>.
/// </summary>
public static class FunctionsHostSettings
{
    public const string JobHostSection = "AzureFunctionsJobHost";

    public static IConfigurationBuilder AddFunctionsHostSettings(this IConfigurationBuilder configuration)
    {
        var settings = new Dictionary<string, string?>
        {
            // The WebJobs SDK binds its extension options (queues: batch size, dequeue count,
            // visibility timeout, polling) from this section.
            ["AzureWebJobsConfigurationSection"] = JobHostSection,
            [$"{StorageOptions.Section}:{nameof(StorageOptions.CommentQueue)}"] = StorageOptions.DefaultCommentQueue,
            [$"{StorageOptions.Section}:{nameof(StorageOptions.CommentTable)}"] = StorageOptions.DefaultCommentTable,
            [$"{StorageOptions.Section}:{nameof(StorageOptions.NotificationQueue)}"] = StorageOptions.DefaultNotificationQueue,
        };
        var hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        if (File.Exists(hostJson))
        {
            foreach (var (key, value) in new ConfigurationBuilder().AddJsonFile(hostJson).Build().AsEnumerable())
                settings[$"{JobHostSection}:{key}"] = value;
        }

        // First source, so that appsettings, environment variables and the command line all override it.
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = settings });
        return configuration;
    }
}
