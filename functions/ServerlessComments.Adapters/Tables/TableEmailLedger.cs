using Azure;
using Azure.Data.Tables;
using ServerlessComments.Accepting;
using ServerlessComments.Notifications;

namespace ServerlessComments.Adapters.Tables;

/// <summary>The email ledger: one row per email (comment, kind, recipient), inserted only if
/// absent, holding a lease while it is being sent and "sent" once it was. Rows written before
/// leases existed (no State) mean sent.</summary>
/// <remarks>Each row also holds its recipient as a keyed hash (<c>To</c>), so that an erasure can delete
/// the rows of an address (rows written before it have none, and are found by no one).</remarks>
public sealed class TableEmailLedger(CommentTable table, TimeProvider clock, GuardKeys keys) : IEmailLedger
{
    private const string SentEmails = "~sent";
    private const string Sending = "sending";
    private const string Sent = "sent";

    public async Task<EmailClaim> TryClaimAsync(string commentId, string kind, string recipient, TimeSpan lease, CancellationToken cancellationToken)
    {
        var key = Key(commentId, kind, recipient);
        var now = clock.GetUtcNow();
        var claim = new TableEntity(SentEmails, key) { ["State"] = Sending, ["LeaseUntil"] = now + lease, ["To"] = keys.Recipient(recipient) };
        if (await table.TryAddAsync(claim, cancellationToken))
            return EmailClaim.Claimed;
        var existing = await table.Client.GetEntityIfExistsAsync<TableEntity>(SentEmails, key, cancellationToken: cancellationToken);
        if (!existing.HasValue)
            return await table.TryAddAsync(claim, cancellationToken) ? EmailClaim.Claimed : EmailClaim.InFlight;
        var row = existing.Value!;
        if (row.GetString("State") is null or Sent)
            return EmailClaim.AlreadySent;
        if (row.GetDateTimeOffset("LeaseUntil") is { } until && until > now)
            return EmailClaim.InFlight;
        try
        {
            // The lease ran out unsent (a crash, a send that never finished): take it over,
            // unless another sender just did.
            await table.Client.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return EmailClaim.Claimed;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return EmailClaim.InFlight;
        }
    }

    public Task MarkSentAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken) =>
        table.Client.UpsertEntityAsync(new TableEntity(SentEmails, Key(commentId, kind, recipient)) { ["State"] = Sent, ["To"] = keys.Recipient(recipient) }, TableUpdateMode.Replace, cancellationToken);

    public Task ReleaseAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken) =>
        table.Client.DeleteEntityAsync(SentEmails, Key(commentId, kind, recipient), ETag.All, cancellationToken);

    public async Task<int> ForgetRecipientAsync(string recipient, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SentEmails} and To eq {keys.Recipient(recipient)}");
        await foreach (var row in table.Client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.UnmarkAsync(row.PartitionKey, row.RowKey, cancellationToken);
            forgotten++;
        }
        return forgotten;
    }

    private static string Key(string commentId, string kind, string recipient) =>
        CommentTable.Hash($"{commentId}\n{kind}\n{recipient.ToLowerInvariant()}");
}
