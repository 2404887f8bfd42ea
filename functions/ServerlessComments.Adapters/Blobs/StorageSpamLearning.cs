using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Moderation.Filter;

namespace ServerlessComments.Adapters.Blobs;

/// <summary>
/// The spam filter's memory: the owner's examples as rows of the comment table (partition
/// <c>~spam-examples</c>, one row per comment), the retrained model as the blob <c>model.json</c> of
/// a private container named after the table (<c>filter-comments</c> by default), since a model
/// can outgrow a table row. The blob's ETag is the model's version.
/// </summary>
public sealed class StorageSpamLearning(CommentTable table, BlobServiceClient blobs) : ISpamLearning
{
    private const string Partition = "~spam-examples";
    public const string ModelBlob = "model.json";

    /// <summary>Private (no public access is ever set on it): the model holds words of readers' comments.</summary>
    public BlobContainerClient Container { get; } = blobs.GetBlobContainerClient("filter-" + table.Client.Name.ToLowerInvariant()[..Math.Min(56, table.Client.Name.Length)]);

    public Task SaveExampleAsync(SpamExample example, CancellationToken cancellationToken) =>
        table.Client.UpsertEntityAsync(new TableEntity(Partition, example.CommentId)
        {
            ["IsSpam"] = example.IsSpam, ["Author"] = example.Author, ["Website"] = example.Website, ["Body"] = example.Body, ["DecidedAt"] = example.DecidedAt,
            ["AddressKey"] = example.AddressKey,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<SpamExample>> ListExamplesAsync(CancellationToken cancellationToken)
    {
        var examples = new List<SpamExample>();
        await foreach (var row in table.Client.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            examples.Add(new SpamExample(row.RowKey, row.GetBoolean("IsSpam") ?? false, row.GetString("Author") ?? "", row.GetString("Website"),
                row.GetString("Body") ?? "", row.GetDateTimeOffset("DecidedAt") ?? DateTimeOffset.MinValue, row.GetString("AddressKey")));
        }
        return examples;
    }

    public async Task ForgetExamplesAsync(IReadOnlyCollection<string> commentIds, CancellationToken cancellationToken)
    {
        foreach (var id in commentIds)
            await table.Client.DeleteEntityAsync(Partition, id, ETag.All, cancellationToken);
    }

    /// <summary>Rows kept before the hash was have no <c>AddressKey</c>: never matched, still listed.</summary>
    public async Task ForgetExamplesByAddressAsync(string addressKey, CancellationToken cancellationToken)
    {
        var rows = new List<TableTransactionAction>();
        await foreach (var row in table.Client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and AddressKey eq {addressKey}"),
                           select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
        foreach (var batch in rows.Chunk(100))
            await table.Client.SubmitTransactionAsync(batch, cancellationToken);
    }

    public async Task<StoredSpamModel?> ReadModelAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        try
        {
            var options = new BlobDownloadOptions { Conditions = knownVersion is null ? null : new BlobRequestConditions { IfNoneMatch = new ETag(knownVersion) } };
            var response = await Container.GetBlobClient(ModelBlob).DownloadContentAsync(options, cancellationToken);
            // 304 Not Modified: a response without a value, not an exception.
            return response.HasValue
                ? new StoredSpamModel(response.Value.Content.ToArray(), response.Value.Details.ETag.ToString("H"))
                : new StoredSpamModel(null, knownVersion!);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task SaveModelAsync(byte[] content, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(ModelBlob);
        try
        {
            await blob.UploadAsync(new BinaryData(content), overwrite: true, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
            await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(new BinaryData(content), overwrite: true, cancellationToken);
        }
    }

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await Container.GetBlobClient(ModelBlob).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        var keys = new List<TableTransactionAction>();
        await foreach (var row in table.Client.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            keys.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
        foreach (var batch in keys.Chunk(100))
            await table.Client.SubmitTransactionAsync(batch, cancellationToken);
    }
}
