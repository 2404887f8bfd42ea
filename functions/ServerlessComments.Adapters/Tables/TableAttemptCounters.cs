using Azure;
using Azure.Data.Tables;
using ServerlessComments.Owner;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Counters (<c>~attempts</c>, keys arrive salted): each count is a conditional (ETag)
/// write, retried on a race, so two instances counting at once both count.</summary>
public sealed class TableAttemptCounters(CommentTable table) : IAttemptCounters
{
    private const string Partition = "~attempts";

    public async Task<AttemptCount?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken);
        return row.HasValue ? Count(row.Value!) : null;
    }

    public async Task<AttemptCount> AddAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken);
            var before = row.HasValue ? Count(row.Value!) : null;
            var next = before is null || now - before.Since >= window ? new AttemptCount(1, now, now) : before with { Count = before.Count + 1, LastAt = now };
            var entity = new TableEntity(Partition, key) { ["Count"] = next.Count, ["Since"] = next.Since, ["LastAt"] = next.LastAt };
            try
            {
                if (row.HasValue)
                    await table.Client.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else if (!await table.TryAddAsync(entity, cancellationToken))
                    continue;
                return next;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412 && attempt < 10)
            {
                // Another instance counted (or the row was purged) meanwhile: count again on what is there now.
            }
        }
    }

    public Task ResetAsync(string key, CancellationToken cancellationToken) => table.UnmarkAsync(Partition, key, cancellationToken);

    public async Task<int> ForgetOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and LastAt lt {before}");
        await foreach (var row in table.Client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.UnmarkAsync(row.PartitionKey, row.RowKey, cancellationToken);
            forgotten++;
        }
        return forgotten;
    }

    private static AttemptCount Count(TableEntity row) =>
        new(row.GetInt32("Count") ?? 0, row.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue, row.GetDateTimeOffset("LastAt") ?? DateTimeOffset.MinValue);
}
