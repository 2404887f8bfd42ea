using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Notifications;
using ServerlessComments.Settings;

namespace ServerlessComments;

public static class MailServices
{
    /// <summary>The email port: SendGrid when it has a key, else the local outbox when asked for,
    /// else off. Its settings validated at start-up.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !SecretSettings.IsUnresolvedReference(o.ApiKey), SecretSettings.Unresolved("SendGrid:ApiKey")).ValidateOnStart();
        services.AddSingleton<IEmailSender>(sp =>
            sp.GetRequiredService<IOptions<SendGridOptions>>().Value.IsConfigured ? ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp)
            : sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Outbox ? ActivatorUtilities.CreateInstance<OutboxEmailSender>(sp)
            : new NoEmailSender());
        return services;
    }
}
