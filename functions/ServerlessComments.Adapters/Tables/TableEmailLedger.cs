using Azure;
using Azure.Data.Tables;
using ServerlessComments.Notifications;

namespace ServerlessComments.Adapters.Tables;

/// <summary>The email ledger: one row per email sent (comment, kind, recipient), inserted only if absent.</summary>
public sealed class TableEmailLedger(CommentTable table) : IEmailLedger
{
    private const string SentEmails = "~sent";

    public Task<bool> TryClaimAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken) =>
        table.TryAddAsync(new TableEntity(SentEmails, Key(commentId, kind, recipient)), cancellationToken);

    public Task ReleaseAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken) =>
        table.Client.DeleteEntityAsync(SentEmails, Key(commentId, kind, recipient), ETag.All, cancellationToken);

    private static string Key(string commentId, string kind, string recipient) =>
        CommentTable.Hash($"{commentId}\n{kind}\n{recipient.ToLowerInvariant()}");
}
