using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Threads;

namespace ServerlessComments.Adapters.Blobs;

/// <summary>
/// The threads' public views. In Blob Storage, one folder per thread key: <c>oldest.json</c> and
/// <c>newest.json</c>, each the exact answer for the first page in that order (public fields only,
/// so a CDN or a static website could serve them as they are), and <c>chunks/{hash}.json</c> for
/// later pages. The view's state (sequence, count, chunk list) is the row <c>~view</c> in the
/// thread's own table partition, written with optimistic concurrency: a count is one point read.
/// </summary>
public sealed class BlobThreadViews(BlobServiceClient blobs, CommentTable table, IOptions<StorageOptions> options) : IThreadViews
{
    public const string StateRow = "~view";
    private const string SequenceKey = "sequence";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public BlobContainerClient Container { get; } = blobs.GetBlobContainerClient(options.Value.ThreadContainer);

    public async Task<ViewState?> GetStateAsync(string threadKey, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(threadKey, StateRow, cancellationToken: cancellationToken);
        if (!row.HasValue)
            return null;
        var entity = row.Value!;
        var chunks = CommentTable.JoinFrom(entity, "ChunkColumns", "Chunks");
        return new ViewState(
            entity.GetInt64("Sequence") ?? 0,
            entity.GetInt32("Count") ?? 0,
            chunks.Length == 0 ? [] : JsonSerializer.Deserialize<List<ChunkInfo>>(chunks, Json)!,
            JsonSerializer.Deserialize<Dictionary<string, string>>(entity.GetString("FirstPages") ?? "{}", Json)!)
        {
            Version = entity.ETag.ToString(),
        };
    }

    public async Task SaveChunkAsync(string threadKey, string hash, byte[] json, CancellationToken cancellationToken) =>
        await WithContainerAsync(() => Container.GetBlobClient(ChunkName(threadKey, hash)).UploadAsync(
            new BinaryData(json), new BlobUploadOptions { HttpHeaders = Headers }, cancellationToken), cancellationToken);

    public async Task<bool> TryCommitAsync(string threadKey, string thread, ViewState? expected, ViewState next, CancellationToken cancellationToken)
    {
        var chunks = JsonSerializer.Serialize(next.Chunks, Json);
        var entity = new TableEntity(threadKey, StateRow)
        {
            ["Thread"] = thread,
            ["Sequence"] = next.Sequence,
            ["Count"] = next.Count,
            ["FirstPages"] = JsonSerializer.Serialize(next.FirstPages, Json),
        };
        // The chunk list may be longer than one column holds.
        CommentTable.SplitInto(entity, "ChunkColumns", "Chunks", chunks);
        return await table.TryCommitAsync(entity, expected?.Version, cancellationToken);
    }

    public async Task PublishFirstPageAsync(string threadKey, string order, long sequence, ViewDocument page, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(FirstPageName(threadKey, order));
        while (true)
        {
            BlobProperties? current = null;
            try
            {
                current = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
            if (current is not null && current.Metadata.TryGetValue(SequenceKey, out var text) &&
                long.TryParse(text, CultureInfo.InvariantCulture, out var stored) && stored >= sequence)
                return; // a writer of this or a later state got there first: never step back
            try
            {
                await WithContainerAsync(() => blob.UploadAsync(new BinaryData(page.Json), new BlobUploadOptions
                {
                    HttpHeaders = Headers,
                    Metadata = new Dictionary<string, string> { [SequenceKey] = sequence.ToString(CultureInfo.InvariantCulture) },
                    Conditions = current is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = current.ETag },
                }, cancellationToken), cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another writer replaced it between our read and our write: look again.
            }
        }
    }

    public async Task DeleteChunkAsync(string threadKey, string hash, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(ChunkName(threadKey, hash)).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<string>> ChunkHashesAsync(string threadKey, CancellationToken cancellationToken)
    {
        var prefix = $"{threadKey}/chunks/";
        var hashes = new List<string>();
        try
        {
            await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
                hashes.Add(blob.Name[prefix.Length..^".json".Length]);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
        }
        return hashes;
    }

    public async Task<ViewDocument?> ReadFirstPageAsync(string threadKey, string order, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        // One read either way; conditional when a validator is known (a cache revalidating a
        // large page), so that an unchanged page costs no body.
        try
        {
            var response = await Container.GetBlobClient(FirstPageName(threadKey, order)).DownloadContentAsync(new BlobDownloadOptions
            {
                Conditions = ifNoneMatch is null ? null : new BlobRequestConditions { IfNoneMatch = new ETag(ifNoneMatch) },
            }, cancellationToken);
            if (response.GetRawResponse().Status == 304) // answered without a body (and .Value would throw)
                return new ViewDocument([], ifNoneMatch!);
            var etag = response.Value.Details.ETag.ToString("H");
            return new ViewDocument(etag == ifNoneMatch ? [] : response.Value.Content.ToArray(), etag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<byte[]?> ReadChunkAsync(string threadKey, string hash, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container.GetBlobClient(ChunkName(threadKey, hash)).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<int> CountAsync(string threadKey, string thread, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(threadKey, StateRow, ["Count", "Thread"], cancellationToken);
        return row.HasValue && row.Value!.GetString("Thread") == thread ? row.Value.GetInt32("Count") ?? 0 : 0;
    }

    private static BlobHttpHeaders Headers => new() { ContentType = "application/json; charset=utf-8", CacheControl = ThreadReading.CacheControl };

    private static string FirstPageName(string threadKey, string order) => $"{threadKey}/{order}.json";
    private static string ChunkName(string threadKey, string hash) => $"{threadKey}/chunks/{hash}.json";

    /// <summary>Runs a write, creating the container first if it is missing (a fresh account
    /// before the start-up initializer ran).</summary>
    private async Task WithContainerAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write();
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
            await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await write();
        }
    }
}
