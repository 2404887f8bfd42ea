using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Notifications;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class EmailLedgerContract
{
    protected readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);
    protected abstract Task<IEmailLedger> CreateAsync();

    [Fact]
    public async Task A_claim_is_a_lease_until_sent_then_sent_for_good()
    {
        var ledger = await CreateAsync();
        Assert.Equal(EmailClaim.Claimed, await ledger.TryClaimAsync("c1", "reply", "ann@example.com", TimeSpan.FromMinutes(5), default));
        Assert.Equal(EmailClaim.InFlight, await ledger.TryClaimAsync("c1", "reply", "ANN@example.com", TimeSpan.FromMinutes(5), default));
        Assert.Equal(EmailClaim.Claimed, await ledger.TryClaimAsync("c1", "owner", "ann@example.com", TimeSpan.FromMinutes(5), default));
        Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(EmailClaim.Claimed, await ledger.TryClaimAsync("c1", "reply", "ann@example.com", TimeSpan.FromMinutes(5), default));
        await ledger.MarkSentAsync("c1", "reply", "ann@example.com", default);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(EmailClaim.AlreadySent, await ledger.TryClaimAsync("c1", "reply", "ann@example.com", TimeSpan.FromMinutes(5), default));
    }

    [Fact]
    public async Task A_released_claim_can_be_claimed_again_and_releasing_nothing_is_harmless()
    {
        var ledger = await CreateAsync();
        await ledger.TryClaimAsync("c1", "reply", "ann@example.com", TimeSpan.FromMinutes(5), default);
        await ledger.ReleaseAsync("c1", "reply", "ann@example.com", default);
        Assert.Equal(EmailClaim.Claimed, await ledger.TryClaimAsync("c1", "reply", "ann@example.com", TimeSpan.FromMinutes(5), default));
        await ledger.ReleaseAsync("c-none", "reply", "ann@example.com", default);
    }

    [Fact]
    public async Task Many_claiming_one_email_at_once_one_gets_it()
    {
        var ledger = await CreateAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ledger.TryClaimAsync("c1", "reply", "ann@example.com", TimeSpan.FromMinutes(5), default))));
        Assert.Equal(1, results.Count(r => r == EmailClaim.Claimed));
    }

    [Fact]
    public async Task Forgetting_a_recipient_deletes_their_entries_only()
    {
        var ledger = await CreateAsync();
        await ledger.TryClaimAsync("c1", "reply", "Ann@example.com", TimeSpan.FromMinutes(5), default);
        await ledger.MarkSentAsync("c2", "reply", "ann@example.com", default);
        await ledger.MarkSentAsync("c2", "reply", "bob@example.com", default);
        Assert.Equal(2, await ledger.ForgetRecipientAsync(" ann@EXAMPLE.com ", default));
        Assert.Equal(EmailClaim.Claimed, await ledger.TryClaimAsync("c2", "reply", "ann@example.com", TimeSpan.FromMinutes(5), default));
        Assert.Equal(EmailClaim.AlreadySent, await ledger.TryClaimAsync("c2", "reply", "bob@example.com", TimeSpan.FromMinutes(5), default));
        Assert.Equal(0, await ledger.ForgetRecipientAsync("nobody@example.com", default));
    }
}

public sealed class InMemoryEmailLedgerContract : EmailLedgerContract
{
    protected override Task<IEmailLedger> CreateAsync() => Task.FromResult<IEmailLedger>(new InMemoryEmailLedger(Clock));
}

[Collection(AzureContracts.Name)]
public sealed class TableEmailLedgerContract(AzuriteFixture azurite) : EmailLedgerContract
{
    protected override async Task<IEmailLedger> CreateAsync() => new TableEmailLedger(await new AzureTestStorage(azurite).TableAsync(), Clock, AzureTestStorage.Keys);
}
