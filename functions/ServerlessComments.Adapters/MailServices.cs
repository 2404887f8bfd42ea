using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Notifications;
using ServerlessComments.Settings;

namespace ServerlessComments;

public static class MailServices
{
    /// <summary>The email port, chosen by Email:Provider (sendgrid, smtp, outbox); unset, as before
    /// that setting existed: SendGrid when it has a key, else the outbox when asked for, else off.
    /// Each provider's settings are validated at start-up, naming the setting at fault.</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !SecretSettings.IsUnresolvedReference(o.ApiKey), SecretSettings.Unresolved("SendGrid:ApiKey")).ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section))
            .Validate(o => o.ParsedProvider is not null, EmailOptions.Invalid)
            .Validate<IOptions<SendGridOptions>>((o, sendGrid) => o.ParsedProvider != EmailOptions.SendGrid || sendGrid.Value.IsConfigured,
                "Email:Provider is sendgrid but SendGrid:ApiKey is empty: set the key, or choose another provider.")
            .ValidateOnStart();
        // The SMTP settings matter only when SMTP is chosen; then each problem stops start-up naming its setting.
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section))
            .Validate(o => !SecretSettings.IsUnresolvedReference(o.Password), SecretSettings.Unresolved("Smtp:Password"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>>(new SmtpSettingsCheck(() => configuration.GetSection(EmailOptions.Section)[nameof(EmailOptions.Provider)]));
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.ParsedProvider switch
        {
            EmailOptions.SendGrid => ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp),
            EmailOptions.Smtp => ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp),
            EmailOptions.Outbox => ActivatorUtilities.CreateInstance<OutboxEmailSender>(sp),
            _ when sp.GetRequiredService<IOptions<SendGridOptions>>().Value.IsConfigured => ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp),
            _ when sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Outbox => ActivatorUtilities.CreateInstance<OutboxEmailSender>(sp),
            _ => new NoEmailSender(),
        });
        return services;
    }
}
