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

    /// <summary>Writes <paramref name="entity"/> only over the version read (none read: only if
    /// there is still no row); false when another writer was first.</summary>
    public async Task<bool> TryCommitAsync(ITableEntity entity, string? readVersion, CancellationToken cancellationToken)
    {
        try
        {
            if (readVersion is null)
                return await TryAddAsync(entity, cancellationToken);
            await Client.UpdateEntityAsync(entity, new ETag(readVersion), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    // A string property holds at most 32K characters (64 KiB): longer text is split over numbered
    // columns, with their count beside them.
    private const int ColumnChars = 30_000;

    /// <summary>Puts <paramref name="text"/> in columns <c>{name}0</c>, <c>{name}1</c>… and their count in <paramref name="countColumn"/>.</summary>
    public static void SplitInto(TableEntity entity, string countColumn, string name, string text)
    {
        entity[countColumn] = (text.Length + ColumnChars - 1) / ColumnChars;
        for (var i = 0; i * ColumnChars < text.Length; i++)
            entity[name + i] = text.Substring(i * ColumnChars, Math.Min(ColumnChars, text.Length - i * ColumnChars));
    }

    /// <summary>The text <see cref="SplitInto"/> put in a row.</summary>
    public static string JoinFrom(TableEntity entity, string countColumn, string name) =>
        string.Concat(Enumerable.Range(0, entity.GetInt32(countColumn) ?? 0).Select(i => entity.GetString(name + i)));

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
