using Azure;
using Azure.Data.Tables;
using ServerlessComments.Owner;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Used sign-in links (<c>~token-link</c>, inserted only if absent, so two instances using
/// one link at once sign in once) and the owner's open sessions (<c>~session</c>, one row each,
/// keyed by the session's handle). The daily privacy job purges what has expired.</summary>
public sealed class TableOwnerTokens(CommentTable table) : IOwnerTokens, IOwnerSessionStore
{
    private const string Sessions = "~session";
    private const string TokenPrefix = "~token-";

    public Task<bool> TryUseOnceAsync(string kind, string id, DateTimeOffset expires, CancellationToken cancellationToken) =>
        table.TryAddAsync(new TableEntity(TokenPrefix + kind, CommentTable.Hash(id)) { ["Expires"] = expires }, cancellationToken);

    public Task<bool> IsUsedAsync(string kind, string id, CancellationToken cancellationToken) =>
        table.IsMarkedAsync(TokenPrefix + kind, CommentTable.Hash(id), cancellationToken);

    public Task AddAsync(SessionRecord session, CancellationToken cancellationToken) =>
        table.Client.UpsertEntityAsync(Row(session), TableUpdateMode.Replace, cancellationToken);

    public async Task<SessionRecord?> FindAsync(string handle, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Sessions, handle, cancellationToken: cancellationToken);
        return row.HasValue ? Record(row.Value!) : null;
    }

    public async Task TouchAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        try
        {
            // An update, never an insert: a session signed out meanwhile stays out.
            await table.Client.UpdateEntityAsync(Row(session), ETag.All, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<IReadOnlyList<SessionRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var all = new List<SessionRecord>();
        await foreach (var row in table.Client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Sessions}"), cancellationToken: cancellationToken))
            all.Add(Record(row));
        return all;
    }

    public Task RemoveAsync(string handle, CancellationToken cancellationToken) => table.UnmarkAsync(Sessions, handle, cancellationToken);

    public async Task<int> RemoveAllAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var session in await ListAsync(cancellationToken))
        {
            await table.UnmarkAsync(Sessions, session.Handle, cancellationToken);
            removed++;
        }
        return removed;
    }

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var purged = 0;
        // Sessions past their expiry, and used tokens of every kind (links; the "signout" rows older
        // versions wrote) past theirs: "~token-" up to "~token." covers every kind.
        var filters = new[]
        {
            TableClient.CreateQueryFilter($"PartitionKey eq {Sessions} and Expires lt {now}"),
            TableClient.CreateQueryFilter($"PartitionKey ge {TokenPrefix} and PartitionKey lt {"~token."} and Expires lt {now}"),
        };
        foreach (var filter in filters)
        {
            await foreach (var row in table.Client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                await table.UnmarkAsync(row.PartitionKey, row.RowKey, cancellationToken);
                purged++;
            }
        }
        return purged;
    }

    private static TableEntity Row(SessionRecord s) => new(Sessions, s.Handle)
    {
        ["CreatedAt"] = s.CreatedAt, ["LastUsedAt"] = s.LastUsedAt, ["Expires"] = s.ExpiresAt, ["UserAgent"] = s.UserAgent,
    };

    private static SessionRecord Record(TableEntity row) => new(row.RowKey,
        row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, row.GetDateTimeOffset("LastUsedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("Expires") ?? DateTimeOffset.MinValue, row.GetString("UserAgent"));
}
