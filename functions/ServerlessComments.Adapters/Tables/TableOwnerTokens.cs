using Azure.Data.Tables;
using ServerlessComments.Owner;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Used sign-in links and signed-out sessions: a row each (<c>~token-{kind}</c>), inserted
/// only if absent, so two instances using one link at once sign in once.</summary>
public sealed class TableOwnerTokens(CommentTable table) : IOwnerTokens
{
    public Task<bool> TryUseOnceAsync(string kind, string id, DateTimeOffset expires, CancellationToken cancellationToken) =>
        table.TryAddAsync(new TableEntity("~token-" + kind, CommentTable.Hash(id)) { ["Expires"] = expires }, cancellationToken);

    public Task<bool> IsUsedAsync(string kind, string id, CancellationToken cancellationToken) =>
        table.IsMarkedAsync("~token-" + kind, CommentTable.Hash(id), cancellationToken);
}
