using Azure;
using Azure.Data.Tables;
using ServerlessComments.Notifications;

namespace ServerlessComments.Adapters.Tables;

/// <summary>The comments waiting for the owner's digest: one row per comment in <c>~digest</c>,
/// with the period that took it (none while it waits). Taking is a conditional write on the
/// row's ETag, so two digests never take the same comment.</summary>
public sealed class TableHeldDigest(CommentTable table) : IHeldDigest
{
    private const string Partition = "~digest";
    private const string Period = "Period";
    private const string Waiting = "";

    public Task AddAsync(string commentId, CancellationToken cancellationToken) =>
        table.TryAddAsync(new TableEntity(Partition, commentId) { [Period] = Waiting }, cancellationToken);

    public async Task<IReadOnlyList<string>> TakeAsync(long period, CancellationToken cancellationToken)
    {
        var mine = period.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var taken = new List<string>();
        await foreach (var row in RowsAsync(cancellationToken))
        {
            var of = row.GetString(Period) ?? Waiting;
            if (of == mine)
                taken.Add(row.RowKey);
            else if (of == Waiting)
            {
                try
                {
                    await table.Client.UpdateEntityAsync(new TableEntity(Partition, row.RowKey) { [Period] = mine }, row.ETag, TableUpdateMode.Replace, cancellationToken);
                    taken.Add(row.RowKey);
                }
                catch (RequestFailedException e) when (e.Status is 412 or 404)
                {
                    // Taken by another period meanwhile, or forgotten: not ours.
                }
            }
        }
        return taken;
    }

    public async Task<IReadOnlyList<string>> TakenAsync(long period, CancellationToken cancellationToken)
    {
        var mine = period.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var taken = new List<string>();
        await foreach (var row in RowsAsync(cancellationToken))
        {
            if (row.GetString(Period) == mine)
                taken.Add(row.RowKey);
        }
        return taken;
    }

    public async Task<bool> AnyWaitingAsync(CancellationToken cancellationToken)
    {
        await foreach (var row in RowsAsync(cancellationToken))
        {
            if ((row.GetString(Period) ?? Waiting) == Waiting)
                return true;
        }
        return false;
    }

    public async Task ForgetAsync(IReadOnlyCollection<string> commentIds, CancellationToken cancellationToken)
    {
        foreach (var id in commentIds)
            await table.UnmarkAsync(Partition, id, cancellationToken);
    }

    private AsyncPageable<TableEntity> RowsAsync(CancellationToken cancellationToken) =>
        table.Client.QueryAsync<TableEntity>($"PartitionKey eq '{Partition}'", select: ["RowKey", Period], cancellationToken: cancellationToken);
}
