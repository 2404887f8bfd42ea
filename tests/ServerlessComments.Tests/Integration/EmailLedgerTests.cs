using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Notifications;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The table email ledger over Azurite: a claim is a lease, and only "sent" is for good.</summary>
[Collection(StorageCollection.Name)]
public sealed class EmailLedgerTests(AzuriteFixture azurite)
{
    private static readonly Accepting.GuardKeys Keys = new(Options.Create(new NotificationOptions { LinkSecret = new string('k', 40) }));

    [Fact]
    public async Task An_erasure_finds_and_forgets_the_rows_of_one_recipient_only()
    {
        var options = Options.Create(new StorageOptions { CommentTable = "ledger" + Guid.NewGuid().ToString("N")[..8] });
        var table = new CommentTable(new TableServiceClient(azurite.ConnectionString), options);
        await table.Client.CreateIfNotExistsAsync();
        var ledger = new TableEmailLedger(table, TimeProvider.System, Keys);
        await ledger.TryClaimAsync("c1", "reply", "Erin@example.com", TimeSpan.FromMinutes(5), default);
        await ledger.MarkSentAsync("c1", "reply", "Erin@example.com", default);
        await ledger.TryClaimAsync("confirm-1", "confirm", "erin@example.com", TimeSpan.FromMinutes(5), default);
        await ledger.TryClaimAsync("c1", "owner", "owner@example.com", TimeSpan.FromMinutes(5), default);

        Assert.Equal(2, await ledger.ForgetRecipientAsync("ERIN@example.com", default));
        Assert.Equal(EmailClaim.Claimed, await ledger.TryClaimAsync("c1", "reply", "erin@example.com", TimeSpan.FromMinutes(5), default));
        Assert.Equal(EmailClaim.InFlight, await ledger.TryClaimAsync("c1", "owner", "owner@example.com", TimeSpan.FromMinutes(5), default));
    }

    [Fact]
    public async Task A_claim_is_a_lease_that_runs_out_unless_the_email_was_sent()
    {
        var options = Options.Create(new StorageOptions { CommentTable = "ledger" + Guid.NewGuid().ToString("N")[..8] });
        var table = new CommentTable(new TableServiceClient(azurite.ConnectionString), options);
        await table.Client.CreateIfNotExistsAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var ledger = new TableEmailLedger(table, clock, Keys);
        var lease = TimeSpan.FromMinutes(5);

        Assert.Equal(EmailClaim.Claimed, await ledger.TryClaimAsync("c1", "owner", "Owner@example.com", lease, default));
        Assert.Equal(EmailClaim.InFlight, await ledger.TryClaimAsync("c1", "owner", "owner@example.com", lease, default));
        clock.Advance(lease + TimeSpan.FromSeconds(1));
        // Its sender never said it was sent: the next one takes it over, and only one of two racers does.
        var racers = await Task.WhenAll(
            ledger.TryClaimAsync("c1", "owner", "owner@example.com", lease, default),
            ledger.TryClaimAsync("c1", "owner", "owner@example.com", lease, default));
        Assert.Single(racers, r => r == EmailClaim.Claimed);
        await ledger.MarkSentAsync("c1", "owner", "owner@example.com", default);
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(EmailClaim.AlreadySent, await ledger.TryClaimAsync("c1", "owner", "owner@example.com", lease, default));

        // A row from before leases existed (no state) means sent.
        await table.Client.AddEntityAsync(new TableEntity("~sent", CommentTable.Hash("c2\nreply\nann@example.com")));
        Assert.Equal(EmailClaim.AlreadySent, await ledger.TryClaimAsync("c2", "reply", "ann@example.com", lease, default));
    }
}
