using System.Net;
using Microsoft.Extensions.Logging;
using ServerlessComments.Faces;

namespace ServerlessComments.Adapters.Avatars;

/// <summary>Fetches pictures for the avatar route: raster images only (an SVG from elsewhere could
/// carry script), at most <see cref="MaxBytes"/>, within <see cref="Timeout"/>; anything else is "none".</summary>
public sealed class HttpPictureFetcher(HttpClient http, ILogger<HttpPictureFetcher> logger) : IPictureFetcher
{
    public const int MaxBytes = 256 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly string[] Types = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    public async Task<Picture?> FetchAsync(Uri address, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null; // Gravatar's d=404: this address has none
            var type = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
            if (!response.IsSuccessStatusCode || type is null || !Types.Contains(type) || response.Content.Headers.ContentLength > MaxBytes)
            {
                logger.LogWarning("Picture from {Host} refused: {Status} {Type}", address.Host, (int)response.StatusCode, type);
                return null;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }
            return new Picture(buffer.ToArray(), type);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Picture from {Host} could not be fetched", address.Host);
            return null;
        }
    }
}
