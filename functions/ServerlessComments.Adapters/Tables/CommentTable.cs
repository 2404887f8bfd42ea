using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Storage;

namespace ServerlessComments.Adapters.Tables;

/// <summary>
/// The one table everything is kept in. Comment rows have the thread key as partition (64 hex
/// digits); every other partition starts with "~", so it can never be mistaken for a thread:
/// comment id → thread (<c>~id</c>), the owner's list by status (<c>~status-…</c>), known authors,
/// reply opt-outs, the accept-time guards and the email ledger. A thread's view state is the row
/// <c>~view</c> inside its own partition.
/// </summary>
public sealed class CommentTable(TableServiceClient tables, IOptions<StorageOptions> options)
{
    public TableClient Client { get; } = tables.GetTableClient(options.Value.CommentTable);

    /// <summary>Inserts a row unless one with its keys exists; false when it did.</summary>
    public async Task<bool> TryAddAsync(ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client.AddEntityAsync(entity, cancellationToken);
            // The row's version as written, so that what was added can be updated conditionally.
            if (response.Headers.ETag is { } etag)
                entity.ETag = etag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "EntityAlreadyExists")
        {
            // Only "already there" means no; any other conflict (a table being deleted) is a failure to retry.
            return false;
        }
    }

    /// <summary>A row that means yes by being there (known author, opted out).</summary>
    public Task MarkAsync(string partition, string row, CancellationToken cancellationToken) =>
        Client.UpsertEntityAsync(new TableEntity(partition, row), TableUpdateMode.Replace, cancellationToken);

    public async Task<bool> IsMarkedAsync(string partition, string row, CancellationToken cancellationToken) =>
        (await Client.GetEntityIfExistsAsync<TableEntity>(partition, row, ["RowKey"], cancellationToken)).HasValue;

    /// <summary>Removes such a row; one that is not there is not an error.</summary>
    public async Task UnmarkAsync(string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // Email addresses are compared without case, as mail providers do.
    public static string EmailKey(string email) => Hash(email.ToLowerInvariant());
}
