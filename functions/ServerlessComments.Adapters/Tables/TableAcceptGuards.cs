using Azure;
using Azure.Data.Tables;
using ServerlessComments.Accepting;

namespace ServerlessComments.Adapters.Tables;

/// <summary>The accept-time guards in the table, so they hold across instances: a duplicate
/// marker is one insert that fails on a repeat; a flood slot is an insert, or a conditional
/// (ETag) update of the key's last post, so two instances cannot both take it.</summary>
public sealed class TableAcceptGuards(CommentTable table) : IAcceptGuards
{
    private const string Flood = "~flood";
    private const string Duplicates = "~dup";

    public Task<bool> TryRememberAsync(string fingerprint, CancellationToken cancellationToken) =>
        table.TryAddAsync(new TableEntity(Duplicates, fingerprint), cancellationToken);

    public Task ForgetAsync(string fingerprint, CancellationToken cancellationToken) =>
        table.Client.DeleteEntityAsync(Duplicates, fingerprint, ETag.All, cancellationToken);

    public async Task<TimeSpan?> ClaimFloodSlotAsync(IReadOnlyList<string> keys, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            var claim = new TableEntity(Flood, CommentTable.Hash(key)) { ["LastAt"] = now };
            if (await table.TryAddAsync(claim, cancellationToken))
                continue;
            var last = await table.Client.GetEntityIfExistsAsync<TableEntity>(Flood, claim.RowKey, cancellationToken: cancellationToken);
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
}
