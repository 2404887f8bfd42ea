using ServerlessComments.Accepting;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class AcceptGuardsContract
{
    protected abstract Task<IAcceptGuards> CreateAsync();

    // Real times: the table ages its rows by when they were written.
    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_fingerprint_is_remembered_once_and_the_first_mark_holds()
    {
        var guards = await CreateAsync();
        var at = Now;
        Assert.Null(await guards.TryRememberAsync("fp1", new GuardMark("c1", at, "payload"), default));
        var held = await guards.TryRememberAsync("fp1", new GuardMark("c2", at.AddSeconds(1)), default);
        Assert.Equal("c1", held?.CommentId);
        var found = await guards.FindAsync("fp1", default);
        Assert.Equal("c1", found?.CommentId);
        Assert.Equal("payload", found?.Payload);
        Assert.Equal(at.ToUnixTimeMilliseconds(), found!.At.ToUnixTimeMilliseconds());
        Assert.Null(await guards.FindAsync("fp-none", default));
    }

    [Fact]
    public async Task Many_remembering_one_fingerprint_at_once_one_wins()
    {
        var guards = await CreateAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => guards.TryRememberAsync("race", new GuardMark("c" + i, Now), default))));
        Assert.Equal(1, results.Count(r => r is null));
        var winner = (await guards.FindAsync("race", default))!.CommentId;
        Assert.All(results.Where(r => r is not null), r => Assert.Equal(winner, r!.CommentId));
    }

    [Fact]
    public async Task A_flood_slot_is_taken_for_its_window()
    {
        var guards = await CreateAsync();
        var now = Now;
        var window = TimeSpan.FromSeconds(30);
        Assert.Null(await guards.ClaimFloodSlotAsync(["ip", "mail"], window, now, default));
        var wait = await guards.ClaimFloodSlotAsync(["ip"], window, now.AddSeconds(10), default);
        Assert.Equal(TimeSpan.FromSeconds(20), wait);
        Assert.NotNull(await guards.ClaimFloodSlotAsync(["other", "mail"], window, now.AddSeconds(10), default));
        Assert.Null(await guards.ClaimFloodSlotAsync(["ip", "mail"], window, now.AddSeconds(30), default));
    }

    [Fact]
    public async Task Many_claiming_one_slot_at_once_one_gets_it()
    {
        var guards = await CreateAsync();
        var now = Now;
        await guards.ClaimFloodSlotAsync(["ip"], TimeSpan.FromSeconds(1), now.AddMinutes(-5), default);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => guards.ClaimFloodSlotAsync(["ip"], TimeSpan.FromMinutes(1), now, default))));
        Assert.Equal(1, results.Count(r => r is null));
    }

    [Fact]
    public async Task Forgetting_deletes_the_named_marks_and_slots()
    {
        var guards = await CreateAsync();
        var now = Now;
        await guards.TryRememberAsync("fp", new GuardMark("c1", now), default);
        await guards.TryRememberAsync("kept", new GuardMark("c2", now), default);
        await guards.ClaimFloodSlotAsync(["ip"], TimeSpan.FromMinutes(1), now, default);
        await guards.ForgetAsync(["fp", "never-there"], ["ip", "never-there"], default);
        Assert.Null(await guards.FindAsync("fp", default));
        Assert.NotNull(await guards.FindAsync("kept", default));
        Assert.Null(await guards.ClaimFloodSlotAsync(["ip"], TimeSpan.FromMinutes(1), now, default));
    }

    [Fact]
    public async Task Old_rows_are_forgotten_and_young_ones_kept()
    {
        var guards = await CreateAsync();
        var now = Now;
        await guards.TryRememberAsync("fp", new GuardMark("c1", now), default);
        await guards.ClaimFloodSlotAsync(["ip"], TimeSpan.FromMinutes(1), now, default);
        Assert.Equal(0, await guards.ForgetOlderThanAsync(now.AddHours(-1), now.AddHours(-1), default));
        Assert.NotNull(await guards.FindAsync("fp", default));
        Assert.Equal(1, await guards.ForgetOlderThanAsync(now.AddHours(-1), now.AddMinutes(5), default));
        Assert.NotNull(await guards.FindAsync("fp", default));
        Assert.Equal(1, await guards.ForgetOlderThanAsync(now.AddMinutes(5), now.AddMinutes(5), default));
        Assert.Null(await guards.FindAsync("fp", default));
    }

    [Fact]
    public async Task A_row_is_as_old_as_the_time_it_holds()
    {
        var guards = await CreateAsync();
        var now = Now;
        // Written now, about a time two days ago (the privacy job ages rows by what they say).
        await guards.TryRememberAsync("fp-old", new GuardMark("c1", now.AddDays(-2)), default);
        await guards.ClaimFloodSlotAsync(["ip-old"], TimeSpan.FromMinutes(1), now.AddDays(-2), default);
        await guards.TryRememberAsync("fp-new", new GuardMark("c2", now), default);
        Assert.Equal(2, await guards.ForgetOlderThanAsync(now.AddDays(-1), now.AddDays(-1), default));
        Assert.Null(await guards.FindAsync("fp-old", default));
        Assert.NotNull(await guards.FindAsync("fp-new", default));
        Assert.Null(await guards.ClaimFloodSlotAsync(["ip-old"], TimeSpan.FromHours(1), now, default));
    }
}

public sealed class InMemoryAcceptGuardsContract : AcceptGuardsContract
{
    protected override Task<IAcceptGuards> CreateAsync() => Task.FromResult<IAcceptGuards>(new InMemoryAcceptGuards());
}

[Collection(AzureContracts.Name)]
public sealed class TableAcceptGuardsContract(AzuriteFixture azurite) : AcceptGuardsContract
{
    protected override async Task<IAcceptGuards> CreateAsync() => new TableAcceptGuards(await new AzureTestStorage(azurite).TableAsync());
}
