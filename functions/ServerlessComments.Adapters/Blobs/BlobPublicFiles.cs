using Azure;
using Azure.Storage.Blobs.Models;
using ServerlessComments.Threads;

namespace ServerlessComments.Adapters.Blobs;

/// <summary>The widget's files in the views container (<c>widget/…</c>, beside the thread keys'
/// folders, which are 64 hex digits), with their headers, so that the container answers for them
/// as the API would. Idempotent: a blob whose <c>version</c> metadata matches is left alone, so
/// every instance starting does one HEAD per file and writes only after a change.</summary>
public sealed class BlobPublicFiles(BlobThreadViews views) : IPublicFiles
{
    private const string VersionKey = "version";

    public async Task<bool> PublishAsync(string name, PublicFile file, CancellationToken cancellationToken)
    {
        var blob = views.Container.GetBlobClient(name);
        try
        {
            var current = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (current.Metadata.TryGetValue(VersionKey, out var version) && version == file.Version &&
                current.ContentType == file.ContentType && current.CacheControl == file.CacheControl)
                return false;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = file.ContentType,
                ContentEncoding = file.ContentEncoding,
                CacheControl = file.CacheControl,
            },
            Metadata = new Dictionary<string, string> { [VersionKey] = file.Version },
        };
        try
        {
            await blob.UploadAsync(new BinaryData(file.Body), options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
            // A fresh account before the start-up initializer made it.
            await views.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(new BinaryData(file.Body), options, cancellationToken);
        }
        return true;
    }
}
