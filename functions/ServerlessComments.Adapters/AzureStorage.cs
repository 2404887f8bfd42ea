using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Adapters.Account;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Adapters.Queues;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.PersonalData;
using ServerlessComments.Telemetry;
using ServerlessComments.Threads;

namespace ServerlessComments;

/// <summary>How the host's queue triggers know their queues: from the settings (the self-host's
/// WebJobs triggers resolve <c>%Storage:CommentQueue%</c>), or literally (the Function App).</summary>
public enum QueueNames { FromSettings, Literal }

public static class AzureStorage
{
    /// <summary>Every storage port of the core over one Azure Storage account (Table, Blob and
    /// Queue Storage; <c>AzureWebJobsStorage</c>), the start-up initializer that creates what is
    /// missing, the health check's probe and the poison-queue gauge. A host calls it beside
    /// <c>AddCommentServices</c>; another storage backend would be another method like this one.</summary>
    public static IServiceCollection AddAzureStorage(this IServiceCollection services, IConfiguration configuration, QueueNames queueNames = QueueNames.FromSettings)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => queueNames == QueueNames.FromSettings ||
                           (o.CommentQueue == StorageOptions.DefaultCommentQueue && o.NotificationQueue == StorageOptions.DefaultNotificationQueue),
                $"In the Function App the queue triggers name their queues literally ('{StorageOptions.DefaultCommentQueue}', '{StorageOptions.DefaultNotificationQueue}'), " +
                "since the platform's scale controller does not read the app's configuration: leave Storage:CommentQueue and Storage:NotificationQueue unset or equal to them.")
            .ValidateOnStart();
        services.AddAzureClients(clients => clients.AddStorageClients(configuration));

        services.AddSingleton<CommentTable>();
        services.AddSingleton<TableCommentStore>();
        services.AddSingleton<ICommentStore>(sp => sp.GetRequiredService<TableCommentStore>());
        services.AddSingleton<IAuthorRecords, TableAuthorRecords>();
        services.AddSingleton<IAcceptGuards, TableAcceptGuards>();
        services.AddSingleton<IEmailLedger, TableEmailLedger>();
        services.AddSingleton<IHeldDigest, TableHeldDigest>();
        services.AddSingleton<IErasures, TableErasures>();
        services.AddSingleton<IOwnerSettings, TableOwnerSettings>();
        services.AddSingleton<TableOwnerTokens>();
        services.AddSingleton<IOwnerTokens>(sp => sp.GetRequiredService<TableOwnerTokens>());
        services.AddSingleton<IOwnerSessionStore>(sp => sp.GetRequiredService<TableOwnerTokens>());
        services.AddSingleton<IAttemptCounters, TableAttemptCounters>();
        services.AddSingleton<IUsedChallenges, TableUsedChallenges>();
        services.AddSingleton<ServerlessComments.Faces.IAvatarDirectory, TableAvatarDirectory>();
        services.AddSingleton<ServerlessComments.Reactions.IReactionStore, TableReactionStore>();
        services.AddSingleton<BlobThreadViews>();
        // The views as stored, behind each instance's memory of the first pages it serves.
        services.AddSingleton<IThreadViews>(sp => new CachedThreadViews(sp.GetRequiredService<BlobThreadViews>(),
            sp.GetRequiredService<IOptions<ThreadOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISiteCounts, BlobSiteCounts>();
        services.AddSingleton<IPublicFiles, BlobPublicFiles>();
        services.AddSingleton<StorageJobQueue>();
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<StorageJobQueue>());
        services.AddSingleton<IStorageProbe, AzureStorageProbe>();
        services.AddSingleton<Moderation.Filter.ISpamLearning, StorageSpamLearning>();

        services.AddSingleton<PoisonDepthGauge>();
        services.AddHostedService(sp => sp.GetRequiredService<PoisonDepthGauge>());
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        return services;
    }
}
