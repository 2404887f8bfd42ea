using Azure;
using Azure.Data.Tables;
using ServerlessComments.Accepting;

namespace ServerlessComments.Adapters.Tables;

/// <summary>The accept-time guards in the table, so they hold across instances: a duplicate
/// mark is one insert that fails on a repeat (holding the comment it is for and when); a flood
/// slot is an insert, or a conditional (ETag) update of the key's last post, so two instances
/// cannot both take it. Keys arrive salted; the privacy job deletes old rows.</summary>
public sealed class TableAcceptGuards(CommentTable table) : IAcceptGuards
{
    private const string Flood = "~flood";
    private const string Duplicates = "~dup";

    public async Task<GuardMark?> TryRememberAsync(string fingerprint, GuardMark mark, CancellationToken cancellationToken)
    {
        if (await table.TryAddAsync(Row(fingerprint, mark), cancellationToken))
            return null;
        // Someone holds it; or it was deleted (the privacy job) between the two calls: try once more.
        return await FindAsync(fingerprint, cancellationToken)
               ?? (await table.TryAddAsync(Row(fingerprint, mark), cancellationToken) ? null : mark);
    }

    public async Task<GuardMark?> FindAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Duplicates, fingerprint, cancellationToken: cancellationToken);
        // A mark from before marks held a comment id holds for none: it is another comment's.
        return row.HasValue ? new GuardMark(row.Value!.GetString("CommentId") ?? "", row.Value.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, row.Value.GetString("Payload"))
            : null;
    }

    public async Task<TimeSpan?> ClaimFloodSlotAsync(IReadOnlyList<string> keys, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            var claim = new TableEntity(Flood, key) { ["LastAt"] = now };
            if (await table.TryAddAsync(claim, cancellationToken))
                continue;
            var last = await table.Client.GetEntityIfExistsAsync<TableEntity>(Flood, key, cancellationToken: cancellationToken);
            var lastAt = last.HasValue ? last.Value!.GetDateTimeOffset("LastAt") : null;
            if (lastAt is not null && now - lastAt < window)
                return window - (now - lastAt.Value);
            try
            {
                // Conditional on what was read, so two instances cannot both take the same slot.
                if (last.HasValue)
                    await table.Client.UpdateEntityAsync(claim, last.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else if (!await table.TryAddAsync(claim, cancellationToken))
                    return window;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return window;
            }
        }
        return null;
    }

    public async Task ForgetAsync(IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<string> floodKeys, CancellationToken cancellationToken)
    {
        foreach (var (partition, row) in fingerprints.Select(f => (Duplicates, f)).Concat(floodKeys.Select(k => (Flood, k))))
            await table.UnmarkAsync(partition, row, cancellationToken);
    }

    public async Task<int> ForgetOlderThanAsync(DateTimeOffset duplicatesBefore, DateTimeOffset floodsBefore, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        // Aged by the time the row holds (when the mark was made, when the key last posted), as the
        // port says; a row written before rows held one, by when it was written.
        var filters = new[]
        {
            TableClient.CreateQueryFilter($"PartitionKey eq {Duplicates} and (At lt {duplicatesBefore} or Timestamp lt {duplicatesBefore})"),
            TableClient.CreateQueryFilter($"PartitionKey eq {Flood} and (LastAt lt {floodsBefore} or Timestamp lt {floodsBefore})"),
        };
        foreach (var filter in filters)
        {
            await foreach (var row in table.Client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                try
                {
                    await table.Client.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                    forgotten++;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    // Gone, or written again meanwhile (it is young again).
                }
            }
        }
        return forgotten;
    }

    private static TableEntity Row(string fingerprint, GuardMark mark) =>
        new(Duplicates, fingerprint) { ["CommentId"] = mark.CommentId, ["At"] = mark.At, ["Payload"] = mark.Payload };
}
