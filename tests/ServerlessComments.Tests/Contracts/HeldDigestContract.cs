using ServerlessComments.Adapters.Tables;
using ServerlessComments.Notifications;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class HeldDigestContract
{
    protected abstract Task<IHeldDigest> CreateAsync();

    [Fact]
    public async Task A_period_takes_every_waiting_comment_once_and_a_later_period_none_of_them()
    {
        var digest = await CreateAsync();
        Assert.False(await digest.AnyWaitingAsync(default));
        await digest.AddAsync("c1", default);
        await digest.AddAsync("c2", default);
        Assert.True(await digest.AnyWaitingAsync(default));
        Assert.Equal(["c1", "c2"], (await digest.TakeAsync(1, default)).Order());
        Assert.False(await digest.AnyWaitingAsync(default));
        // Taking again for the same period (a retry) answers the same; another period gets nothing.
        Assert.Equal(["c1", "c2"], (await digest.TakeAsync(1, default)).Order());
        Assert.Empty(await digest.TakeAsync(2, default));
        // Adding a taken comment again changes nothing.
        await digest.AddAsync("c1", default);
        Assert.False(await digest.AnyWaitingAsync(default));
        Assert.Equal(["c1", "c2"], (await digest.TakenAsync(1, default)).Order());
    }

    [Fact]
    public async Task Two_periods_taking_at_once_share_nothing()
    {
        var digest = await CreateAsync();
        for (var i = 0; i < 20; i++)
            await digest.AddAsync("c" + i, default);
        var taken = await Task.WhenAll(Enumerable.Range(1, 4).Select(p => Task.Run(() => digest.TakeAsync(p, default))));
        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Distinct().Count());
    }

    [Fact]
    public async Task Forgotten_comments_are_gone()
    {
        var digest = await CreateAsync();
        await digest.AddAsync("c1", default);
        await digest.AddAsync("c2", default);
        await digest.TakeAsync(7, default);
        await digest.ForgetAsync(["c1", "never-there"], default);
        Assert.Equal(["c2"], await digest.TakenAsync(7, default));
        await digest.AddAsync("c1", default);
        Assert.True(await digest.AnyWaitingAsync(default));
    }
}

public sealed class InMemoryHeldDigestContract : HeldDigestContract
{
    protected override Task<IHeldDigest> CreateAsync() => Task.FromResult<IHeldDigest>(new InMemoryHeldDigest());
}

[Collection(AzureContracts.Name)]
public sealed class TableHeldDigestContract(AzuriteFixture azurite) : HeldDigestContract
{
    protected override async Task<IHeldDigest> CreateAsync() => new TableHeldDigest(await new AzureTestStorage(azurite).TableAsync());
}
