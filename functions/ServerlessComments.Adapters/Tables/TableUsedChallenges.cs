using Azure.Data.Tables;
using ServerlessComments.Accepting;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Spent proof-of-work challenges (<c>~challenges</c>, one row per challenge hash, which is
/// random and holds nothing about a person): an insert that fails on a repeat, so two instances
/// offered one solution at once let one comment through.</summary>
public sealed class TableUsedChallenges(CommentTable table) : IUsedChallenges
{
    private const string Partition = "~challenges";

    public async Task<string?> TryUseAsync(string id, string usedFor, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await table.TryAddAsync(new TableEntity(Partition, id) { ["UsedFor"] = usedFor, ["Expires"] = expires }, cancellationToken))
                return null;
            var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Partition, id, ["UsedFor"], cancellationToken);
            // Gone between the two calls (the janitor, at its expiry): try again, once.
            if (row.HasValue || attempt > 0)
                return row.HasValue ? row.Value!.GetString("UsedFor") ?? "" : "";
        }
    }

    public async Task<int> ForgetExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Expires lt {now}");
        await foreach (var row in table.Client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.UnmarkAsync(row.PartitionKey, row.RowKey, cancellationToken);
            forgotten++;
        }
        return forgotten;
    }
}
