using ServerlessComments.Accepting;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

/// <summary>What <see cref="Challenges"/> needs of its port, held of the in-memory and the Table Storage one alike.</summary>
public abstract class UsedChallengesContract
{
    protected abstract Task<IUsedChallenges> CreateAsync();

    private static readonly DateTimeOffset Now = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_challenge_is_spent_once_and_remembers_what_for()
    {
        var used = await CreateAsync();
        Assert.Null(await used.TryUseAsync("c1", "comment A", Now.AddMinutes(10), default));
        Assert.Equal("comment A", await used.TryUseAsync("c1", "comment B", Now.AddMinutes(10), default));
        Assert.Equal("comment A", await used.TryUseAsync("c1", "comment A", Now.AddMinutes(10), default));
        Assert.Null(await used.TryUseAsync("c2", "comment B", Now.AddMinutes(10), default));
    }

    [Fact]
    public async Task Many_spending_one_challenge_at_once_one_wins()
    {
        var used = await CreateAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => used.TryUseAsync("race", "comment " + i, Now, default))));
        Assert.Equal(1, results.Count(r => r is null));
        var winner = Enumerable.Range(0, 8).Single(i => results[i] is null);
        Assert.All(results.Where(r => r is not null), r => Assert.Equal("comment " + winner, r));
    }

    [Fact]
    public async Task Expired_challenges_are_forgotten_and_others_kept()
    {
        var used = await CreateAsync();
        await used.TryUseAsync("old", "a", Now.AddMinutes(-1), default);
        await used.TryUseAsync("new", "b", Now.AddMinutes(1), default);
        Assert.Equal(1, await used.ForgetExpiredAsync(Now, default));
        Assert.Null(await used.TryUseAsync("old", "c", Now.AddMinutes(10), default));
        Assert.Equal("b", await used.TryUseAsync("new", "c", Now.AddMinutes(10), default));
    }
}

public sealed class InMemoryUsedChallengesContract : UsedChallengesContract
{
    protected override Task<IUsedChallenges> CreateAsync() => Task.FromResult<IUsedChallenges>(new InMemoryUsedChallenges());
}

[Collection(AzureContracts.Name)]
public sealed class TableUsedChallengesContract(AzuriteFixture azurite) : UsedChallengesContract
{
    protected override async Task<IUsedChallenges> CreateAsync() => new TableUsedChallenges(await new AzureTestStorage(azurite).TableAsync());
}
