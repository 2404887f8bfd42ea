using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessComments.Adapters.Avatars;
using ServerlessComments.Faces;

namespace ServerlessComments;

public static class PictureServices
{
    /// <summary>The picture fetcher of the avatar route (Gravatar, the owner's picture): one long-lived client.</summary>
    public static IServiceCollection AddPictures(this IServiceCollection services)
    {
        services.AddSingleton<IPictureFetcher>(sp => new HttpPictureFetcher(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }),
            sp.GetRequiredService<ILogger<HttpPictureFetcher>>()));
        return services;
    }
}
