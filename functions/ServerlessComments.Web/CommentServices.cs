using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Adapters.Akismet;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Adapters.Queues;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Export;
using ServerlessComments.Import;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.PersonalData;
using ServerlessComments.Processing;
using ServerlessComments.Telemetry;
using ServerlessComments.Threads;
using ServerlessComments.Web;
using ServerlessComments.Web.Api;
using ServerlessComments.Web.Console;
using ServerlessComments.Web.Widget;

namespace ServerlessComments;

/// <summary>How the host's queue triggers know their queues: from the settings (the self-host's
/// WebJobs triggers resolve <c>%Storage:CommentQueue%</c>), or literally (the Function App).</summary>
public enum QueueNames { FromSettings, Literal }

public static class CommentServices
{
    /// <summary>Everything both hosts need: options (validated at start-up), storage clients,
    /// the APIs, the processor and the moderation chain.</summary>
    public static IServiceCollection AddCommentServices(this IServiceCollection services, IConfiguration configuration, QueueNames queueNames = QueueNames.FromSettings)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => queueNames == QueueNames.FromSettings ||
                           (o.CommentQueue == StorageOptions.DefaultCommentQueue && o.NotificationQueue == StorageOptions.DefaultNotificationQueue),
                $"In the Function App the queue triggers name their queues literally ('{StorageOptions.DefaultCommentQueue}', '{StorageOptions.DefaultNotificationQueue}'), " +
                "since the platform's scale controller does not read the app's configuration: leave Storage:CommentQueue and Storage:NotificationQueue unset or equal to them.")
            .ValidateOnStart();
        services.AddOptions<ModerationOptions>().Bind(configuration.GetSection(ModerationOptions.Section))
            .Validate(o => o.ParsedMode is not null, ModerationOptions.Invalid).ValidateOnStart();
        services.AddOptions<SpamOptions>().Bind(configuration.GetSection(SpamOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SpamRetryOptions>().Bind(configuration.GetSection(SpamRetryOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ThreadOptions>().Bind(configuration.GetSection(ThreadOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AkismetOptions>().Bind(configuration.GetSection(AkismetOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.ApiKey) == string.IsNullOrWhiteSpace(o.BlogUrl),
                "Akismet:ApiKey and Akismet:BlogUrl go together: set both to turn Akismet on, or neither.")
            .Validate(o => !IsUnresolvedKeyVaultReference(o.ApiKey), Unresolved("Akismet:ApiKey"))
            .ValidateOnStart();
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section))
            .Validate(o => !IsUnresolvedKeyVaultReference(o.ApiKey), Unresolved("Admin:ApiKey"))
            .Validate(o => string.IsNullOrEmpty(o.ApiKey) || IsUnresolvedKeyVaultReference(o.ApiKey) || o.ApiKey.Length >= AdminOptions.MinKeyLength, AdminOptions.ShortKey)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NetworkOptions>().Bind(configuration.GetSection(NetworkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !IsUnresolvedKeyVaultReference(o.ApiKey), Unresolved("SendGrid:ApiKey")).ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section))
            .Validate(o => o.ParsedProvider is not null, EmailOptions.Invalid)
            .Validate<IOptions<SendGridOptions>>((o, sendGrid) => o.ParsedProvider != EmailOptions.SendGrid || sendGrid.Value.IsConfigured,
                "Email:Provider is sendgrid but SendGrid:ApiKey is empty: set the key, or choose another provider.")
            .ValidateOnStart();
        // The SMTP settings matter only when SMTP is chosen; then each problem stops start-up naming its setting.
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section))
            .Validate(o => !IsUnresolvedKeyVaultReference(o.Password), Unresolved("Smtp:Password"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>>(new SmtpSettingsCheck(() => configuration.GetSection(EmailOptions.Section)[nameof(EmailOptions.Provider)]));
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !IsUnresolvedKeyVaultReference(o.LinkSecret), Unresolved("Notifications:LinkSecret"))
            .Validate(o => string.IsNullOrEmpty(o.LinkSecret) || o.LinkSecret.Length >= 32, "Notifications:LinkSecret must be at least 32 characters.")
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "Notifications:PublicBaseUrl must be the absolute http(s) address of the API.")
            .Validate(o => o.BlogUrl.Length == 0 || Uri.TryCreate(o.BlogUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "Notifications:BlogUrl must be empty or the absolute http(s) address of the blog.")
            .ValidateOnStart();

        services.AddAzureClients(clients => clients.AddStorageClients(configuration));
        // Readers' names and texts are mostly not ASCII: send them as they are, not as \u escapes.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = CommentJson.Options.Encoder);
        services.AddMetrics();
        services.AddSingleton<CommentMetrics>();
        services.AddSingleton<PoisonDepthGauge>();
        services.AddHostedService(sp => sp.GetRequiredService<PoisonDepthGauge>());

        services.AddSingleton(TimeProvider.System);

        // Adapters: the core's ports over Azure Storage, SendGrid or SMTP (or the outbox) and Akismet.
        services.AddSingleton<CommentTable>();
        services.AddSingleton<TableCommentStore>();
        services.AddSingleton<ICommentStore>(sp => sp.GetRequiredService<TableCommentStore>());
        services.AddSingleton<IAuthorRecords, TableAuthorRecords>();
        services.AddSingleton<IAcceptGuards, TableAcceptGuards>();
        services.AddSingleton<IEmailLedger, TableEmailLedger>();
        services.AddSingleton<IHeldDigest, TableHeldDigest>();
        services.AddSingleton<IErasures, TableErasures>();
        services.AddSingleton<BlobThreadViews>();
        services.AddSingleton<IThreadViews>(sp => sp.GetRequiredService<BlobThreadViews>());
        services.AddSingleton<StorageJobQueue>();
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<StorageJobQueue>());
        // One long-lived client with pooled connections that are renewed (DNS changes reach it).
        services.AddSingleton(sp => new AkismetClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetRequiredService<IOptions<AkismetOptions>>(), sp.GetRequiredService<ILogger<AkismetClient>>()));
        services.AddSingleton<ISpamService>(sp => sp.GetRequiredService<AkismetClient>());
        // The one place that chooses where emails go: Email:Provider, or (unset) as before it existed.
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.ParsedProvider switch
        {
            EmailOptions.SendGrid => ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp),
            EmailOptions.Smtp => ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp),
            EmailOptions.Outbox => ActivatorUtilities.CreateInstance<OutboxEmailSender>(sp),
            _ when sp.GetRequiredService<IOptions<SendGridOptions>>().Value.IsConfigured => ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp),
            _ when sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Outbox => ActivatorUtilities.CreateInstance<OutboxEmailSender>(sp),
            _ => new NoEmailSender(),
        });
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
        services.AddSingleton<IOwnerSettings, TableOwnerSettings>();
        services.AddSingleton<TableOwnerTokens>();
        services.AddSingleton<IOwnerTokens>(sp => sp.GetRequiredService<TableOwnerTokens>());
        services.AddSingleton<IOwnerSessionStore>(sp => sp.GetRequiredService<TableOwnerTokens>());
        services.AddSingleton<IAttemptCounters, TableAttemptCounters>();
        services.AddSingleton<KeyAttempts>();
        services.AddSingleton<ThreadViewUpdater>();
        services.AddSingleton<ThreadReading>();
        services.AddSingleton<ViewRebuild>();
        services.AddSingleton<ImportingComments>();
        services.AddSingleton<SiteExport>();
        services.AddSingleton<PersonalDataRequests>();
        services.AddSingleton<ErasedAddresses>();
        services.AddSingleton<NotificationDelivery>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<PrivacyJanitor>();

        // The web edge: one route table for both hosts.
        services.AddSingleton<CommentsApi>();
        services.AddSingleton<AdminApi>();
        services.AddSingleton<DataApi>();
        services.AddSingleton<EmailLinksApi>();
        services.AddSingleton<HealthReport>();
        services.AddSingleton<SpamKeyStatus>();
        services.AddSingleton<WidgetAssets>();
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<OwnerAccess>();
        services.AddSingleton<SessionApi>();
        services.AddSingleton<ApiRoutes>();

        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        services.AddHostedService<AkismetKeyCheck>();
        return services;
    }

    /// <summary>
    /// In Azure a secret setting holds a Key Vault reference that the platform replaces with the
    /// secret; when it cannot (a missing secret, a role not yet in effect) the app receives the
    /// reference's own text. Taken as a key, that text would be a published admin password, so
    /// start-up refuses it instead.
    /// </summary>
    public static bool IsUnresolvedKeyVaultReference(string? value) =>
        value is not null && value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    private static string Unresolved(string setting) =>
        $"{setting} is a Key Vault reference the platform did not resolve: check that the secret exists and that the app's identity may read it (Key Vault Secrets User), then restart the app.";
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

/// <summary>Says at start-up where emails go: a deployment without a provider must not believe it sends.</summary>
public sealed class EmailCheck(IEmailSender sender, IOptions<NotificationOptions> options, IOptions<SmtpOptions> smtp, ILogger<EmailCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (sender.Kind)
        {
            case "off":
                logger.LogWarning("Email is off: no Email__Provider and no SendGrid__ApiKey is set, so no email (owner alerts, replies) will be sent. Set Email__Provider=smtp with Smtp__Host, or SendGrid__ApiKey, or Notifications__Outbox=true for local development");
                break;
            case "smtp":
                logger.LogInformation("Emails are sent through the SMTP server {Host}:{Port} ({Security})", smtp.Value.Host, smtp.Value.EffectivePort, smtp.Value.EffectiveSecurity);
                break;
            case "outbox":
                logger.LogWarning("Emails are written to the local outbox {Folder}, not sent: for local development only", Path.GetFullPath(options.Value.OutboxPath));
                break;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
