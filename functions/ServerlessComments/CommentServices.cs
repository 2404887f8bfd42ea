using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessComments.Http;
using ServerlessComments.Moderation;
using ServerlessComments.Processing;
using ServerlessComments.Storage;

namespace ServerlessComments;

public static class CommentServices
{
    /// <summary>Everything both hosts need: options (validated at start-up), storage clients,
    /// the API, the processor and the moderation stage.</summary>
    public static IServiceCollection AddCommentServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModerationOptions>().Bind(configuration.GetSection(ModerationOptions.Section))
            .ValidateOnStart();

        services.AddAzureClients(clients => clients.AddStorageClients(configuration));
        // Readers' names and texts are mostly not ASCII: send them as they are, not as \u escapes.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CommentStore>();
        services.AddSingleton<CommentQueue>();
        services.AddSingleton<CommentsApi>();
        services.AddSingleton<ICommentModeration, PublishEverything>();
        services.AddSingleton<CommentProcessor>();
        services.AddHostedService<StorageInitializer>();
        return services;
    }
}
