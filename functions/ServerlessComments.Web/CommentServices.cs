using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Editing;
using ServerlessComments.Export;
using ServerlessComments.Faces;
using ServerlessComments.Import;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.PersonalData;
using ServerlessComments.Processing;
using ServerlessComments.Reactions;
using ServerlessComments.Settings;
using ServerlessComments.Telemetry;
using ServerlessComments.Threads;
using ServerlessComments.Web;
using ServerlessComments.Web.Api;
using ServerlessComments.Web.Console;
using ServerlessComments.Web.Widget;

namespace ServerlessComments;

public static class CommentServices
{
    /// <summary>Everything both hosts need but the adapters: the core's options (validated at
    /// start-up) and services, the APIs, the widget and the console. The ports' implementations come
    /// from the adapters the host adds beside it (<c>AddAzureStorage</c>, <c>AddAkismet</c>, <c>AddEmail</c>):
    /// the web edge knows the core only.</summary>
    public static IServiceCollection AddCommentServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModerationOptions>().Bind(configuration.GetSection(ModerationOptions.Section))
            .Validate(o => o.ParsedMode is not null, ModerationOptions.Invalid).ValidateOnStart();
        services.AddOptions<SpamOptions>().Bind(configuration.GetSection(SpamOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Moderation.Filter.SpamFilterOptions>().Bind(configuration.GetSection(Moderation.Filter.SpamFilterOptions.Section))
            .ValidateDataAnnotations().Validate(o => o.IsValid(), Moderation.Filter.SpamFilterOptions.Invalid).ValidateOnStart();
        services.AddOptions<SpamRetryOptions>().Bind(configuration.GetSection(SpamRetryOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ThreadOptions>().Bind(configuration.GetSection(ThreadOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<YourDataOptions>().Bind(configuration.GetSection(YourDataOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EditOptions>().Bind(configuration.GetSection(EditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section))
            .Validate(o => !SecretSettings.IsUnresolvedReference(o.ApiKey), SecretSettings.Unresolved("Admin:ApiKey"))
            .Validate(o => string.IsNullOrEmpty(o.ApiKey) || SecretSettings.IsUnresolvedReference(o.ApiKey) || o.ApiKey.Length >= AdminOptions.MinKeyLength, AdminOptions.ShortKey)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NetworkOptions>().Bind(configuration.GetSection(NetworkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AvatarOptions>().Bind(configuration.GetSection(AvatarOptions.Section))
            .Validate(o => o.IsValid(), AvatarOptions.Invalid).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReactionOptions>().Bind(configuration.GetSection(ReactionOptions.Section))
            .ValidateDataAnnotations().Validate(o => o.IsValid(), ReactionOptions.Invalid).ValidateOnStart();
        services.AddOptions<WidgetOptions>().Bind(configuration.GetSection(WidgetOptions.Section))
            .Validate(o => o.IsValid(), WidgetOptions.Invalid).ValidateOnStart();
        services.AddOptions<ChallengeOptions>().Bind(configuration.GetSection(ChallengeOptions.Section))
            .ValidateDataAnnotations().Validate(o => o.IsValid(), ChallengeOptions.Invalid).ValidateOnStart();

        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !SecretSettings.IsUnresolvedReference(o.LinkSecret), SecretSettings.Unresolved("Notifications:LinkSecret"))
            .Validate(o => string.IsNullOrEmpty(o.LinkSecret) || o.LinkSecret.Length >= 32, "Notifications:LinkSecret must be at least 32 characters.")
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "Notifications:PublicBaseUrl must be the absolute http(s) address of the API.")
            .Validate(o => o.BlogUrl.Length == 0 || Uri.TryCreate(o.BlogUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "Notifications:BlogUrl must be empty or the absolute http(s) address of the blog.")
            .ValidateOnStart();

        // Readers' names and texts are mostly not ASCII: send them as they are, not as \u escapes.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = CommentJson.Options.Encoder);
        services.AddMetrics();
        services.AddSingleton<CommentMetrics>();

        services.AddSingleton(TimeProvider.System);

        services.AddHostedService<EmailCheck>();

        // The core's services, named in the blog's words; every entry point goes through them.
        services.AddSingleton<CommentAcceptance>();
        services.AddSingleton<GuardKeys>();
        services.AddSingleton<DuplicateMarks>();
        services.AddSingleton<OwnerIdentity>();
        services.AddSingleton<ICommentModeration, ModerationPipeline>();
        services.AddSingleton<CommentProcessing>();
        services.AddSingleton<OwnerDecisions>();
        services.AddSingleton<OwnerWriting>();
        services.AddSingleton<OwnerInbox>();
        services.AddSingleton<OwnerRules>();
        services.AddSingleton<SpamRetention>();
        services.AddSingleton<OwnerSessions>();
        services.AddSingleton<KeyAttempts>();
        services.AddSingleton<ThreadViewUpdater>();
        services.AddSingleton<ThreadReading>();
        services.AddSingleton<SiteCounts>();
        services.AddSingleton<ViewRebuild>();
        services.AddSingleton<ImportingComments>();
        services.AddSingleton<SiteExport>();
        services.AddSingleton<PersonalDataRequests>();
        services.AddSingleton<YourDataRequests>();
        services.AddSingleton<ErasedAddresses>();
        services.AddSingleton<NotificationDelivery>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<PrivacyJanitor>();
        services.AddSingleton<Challenges>();
        services.AddSingleton<AvatarIds>();
        services.AddSingleton<Avatars>();
        services.AddSingleton<ServerlessComments.Feeds.CommentFeeds>();
        services.AddSingleton<ReactionTallies>();
        services.AddSingleton<ReaderReactions>();
        services.AddSingleton<Pinning>();
        services.AddSingleton<EditTokens>();
        services.AddSingleton<ReaderEdits>();
        services.AddSingleton<Placeholders>();
        services.AddSingleton<Moderation.Filter.SpamFilter>();

        // The web edge: one route table for both hosts.
        services.AddSingleton<CommentsApi>();
        services.AddSingleton<ChallengeApi>();
        services.AddSingleton<ServerlessComments.Formatting.CommentPreview>();
        services.AddSingleton<PreviewApi>();
        services.AddSingleton<AdminApi>();
        services.AddSingleton<YourDataApi>();
        services.AddSingleton<ReactionsApi>();
        services.AddSingleton<DataApi>();
        services.AddSingleton<EmailLinksApi>();
        services.AddSingleton<HealthReport>();
        services.AddSingleton<SpamKeyStatus>();
        services.AddSingleton<WidgetAssets>();
        services.AddSingleton<WidgetPublishing>();
        services.AddHostedService(sp => sp.GetRequiredService<WidgetPublishing>());
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<OwnerAccess>();
        services.AddSingleton<SessionApi>();
        services.AddSingleton<ApiDescription>();
        services.AddSingleton<AvatarsApi>();
        services.AddSingleton<FeedsApi>();
        services.AddSingleton<ReaderEditsApi>();
        services.AddSingleton<SpamFilterApi>();
        services.AddSingleton<ApiRoutes>();

        services.AddHostedService<AkismetKeyCheck>();
        return services;
    }

}

/// <summary>Checks the Akismet key once at start-up, beside it rather than before it: a wrong key
/// is logged as an error, Akismet being down only as a warning (comments wait and retry).</summary>
public sealed class AkismetKeyCheck(SpamKeyStatus akismet, ILogger<AkismetKeyCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!akismet.IsConfigured)
        {
            logger.LogInformation("Akismet is off (no Akismet__ApiKey): only the built-in spam defences run");
            return;
        }
        switch ((await akismet.GetAsync(stoppingToken)).Answer)
        {
            case "valid":
                logger.LogInformation("Akismet key verified");
                break;
            case "invalid":
                logger.LogError("Akismet refused the key (verify-key: invalid): comments will be held as unchecked. Check Akismet__ApiKey and Akismet__BlogUrl");
                break;
            default:
                logger.LogWarning("Akismet did not answer verify-key at start-up; comments will wait for it");
                break;
        }
    }
}

/// <summary>Says at start-up where emails go: a deployment without SendGrid must not believe it sends.</summary>
public sealed class EmailCheck(IEmailSender sender, IOptions<NotificationOptions> options, ILogger<EmailCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (sender.Kind)
        {
            case "off":
                logger.LogWarning("Email is off: no SendGrid__ApiKey is set, so no email (owner alerts, replies) will be sent. Set SendGrid__ApiKey, or Notifications__Outbox=true for local development");
                break;
            case "outbox":
                logger.LogWarning("Emails are written to the local outbox {Folder}, not sent: for local development only", Path.GetFullPath(options.Value.OutboxPath));
                break;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
