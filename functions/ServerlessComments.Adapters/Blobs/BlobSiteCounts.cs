using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Threads;

namespace ServerlessComments.Adapters.Blobs;

/// <summary>
/// The site's counts document: the blob <c>counts.json</c> beside the threads' views (same container,
/// same cache lifetime), so that whatever serves the views can serve it as it is. Written only over
/// the ETag read (<c>If-Match</c>, or <c>If-None-Match: *</c> for the first one).
/// </summary>
public sealed class BlobSiteCounts(BlobServiceClient blobs, IOptions<StorageOptions> options) : ISiteCounts
{
    public const string BlobName = "counts.json";

    public BlobClient Blob { get; } = blobs.GetBlobContainerClient(options.Value.ThreadContainer).GetBlobClient(BlobName);

    public async Task<ViewDocument?> ReadAsync(string? ifNoneMatch, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Blob.DownloadContentAsync(new BlobDownloadOptions
            {
                Conditions = ifNoneMatch is null ? null : new BlobRequestConditions { IfNoneMatch = new ETag(ifNoneMatch) },
            }, cancellationToken);
            if (response.GetRawResponse().Status == 304) // answered without a body (and .Value would throw)
                return new ViewDocument([], ifNoneMatch!);
            return new ViewDocument(response.Value.Content.ToArray(), response.Value.Details.ETag.ToString("H"));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> TryWriteAsync(byte[] json, string? expectedETag, CancellationToken cancellationToken)
    {
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json", CacheControl = ThreadReading.CacheControl },
            Conditions = expectedETag is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(expectedETag) },
        };
        try
        {
            try
            {
                await Blob.UploadAsync(new BinaryData(json), upload, cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
            {
                // A fresh account before the start-up initializer ran.
                await blobs.GetBlobContainerClient(options.Value.ThreadContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                await Blob.UploadAsync(new BinaryData(json), upload, cancellationToken);
            }
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}
