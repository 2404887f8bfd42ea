using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Akismet;
using ServerlessComments.Moderation;
using ServerlessComments.Settings;

namespace ServerlessComments;

public static class AkismetServices
{
    /// <summary>The spam service port over Akismet (off, answering nothing, without a key), its
    /// settings validated at start-up.</summary>
    public static IServiceCollection AddAkismet(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AkismetOptions>().Bind(configuration.GetSection(AkismetOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.ApiKey) == string.IsNullOrWhiteSpace(o.BlogUrl),
                "Akismet:ApiKey and Akismet:BlogUrl go together: set both to turn Akismet on, or neither.")
            .Validate(o => !SecretSettings.IsUnresolvedReference(o.ApiKey), SecretSettings.Unresolved("Akismet:ApiKey"))
            .ValidateOnStart();
        // One long-lived client with pooled connections that are renewed (DNS changes reach it).
        services.AddSingleton(sp => new AkismetClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetRequiredService<IOptions<AkismetOptions>>(), sp.GetRequiredService<ILogger<AkismetClient>>()));
        services.AddSingleton<ISpamService>(sp => sp.GetRequiredService<AkismetClient>());
        return services;
    }
}
