using ServerlessComments.Adapters.Tables;
using ServerlessComments.Reactions;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class ReactionStoreContract
{
    protected abstract Task<IReactionStore> CreateAsync();

    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Other = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    [Fact]
    public async Task A_reader_reacts_once_per_target_and_counts_are_per_target_and_thread()
    {
        var store = await CreateAsync();
        Assert.True(await store.AddAsync(Key, "c:a1", "reader1", default));
        Assert.False(await store.AddAsync(Key, "c:a1", "reader1", default));
        Assert.True(await store.AddAsync(Key, "c:a1", "reader2", default));
        Assert.True(await store.AddAsync(Key, "c:a10", "reader1", default)); // a longer id with the same start
        Assert.True(await store.AddAsync(Key, "p:👍", "reader1", default));
        Assert.True(await store.AddAsync(Other, "c:a1", "reader3", default));
        Assert.Equal(2, await store.CountAsync(Key, "c:a1", default));
        Assert.Equal(1, await store.CountAsync(Key, "c:a10", default));
        Assert.Equal(1, await store.CountAsync(Key, "p:👍", default));
        Assert.Equal(0, await store.CountAsync(Key, "p:😢", default));
        Assert.Equal(1, await store.CountAsync(Other, "c:a1", default));

        Assert.True(await store.RemoveAsync(Key, "c:a1", "reader1", default));
        Assert.False(await store.RemoveAsync(Key, "c:a1", "reader1", default));
        Assert.Equal(1, await store.CountAsync(Key, "c:a1", default));
    }

    [Fact]
    public async Task The_tally_is_committed_only_over_the_version_read()
    {
        var store = await CreateAsync();
        Assert.Null(await store.GetTallyAsync(Key, default));
        var first = new ReactionTally(ReactionCounts.Empty.With("c:a1", 3).With("p:❤️", 2) with { Pinned = "a1" }, 1);
        Assert.True(await store.TryCommitTallyAsync(Key, null, first, default));
        Assert.False(await store.TryCommitTallyAsync(Key, null, first, default));
        var read = (await store.GetTallyAsync(Key, default))!;
        Assert.Equal(1, read.Sequence);
        Assert.Equal(3, read.Counts.CountOf("c:a1"));
        Assert.Equal(2, read.Counts.CountOf("p:❤️"));
        Assert.Equal("a1", read.Counts.Pinned);

        var next = new ReactionTally(read.Counts.With("c:a1", 0), 2);
        Assert.True(await store.TryCommitTallyAsync(Key, read, next, default));
        Assert.False(await store.TryCommitTallyAsync(Key, read, next with { Sequence = 3 }, default)); // read before the last commit
        var now = (await store.GetTallyAsync(Key, default))!;
        Assert.Equal(2, now.Sequence);
        Assert.Equal(0, now.Counts.CountOf("c:a1"));
        Assert.Empty(now.Counts.Likes);
    }

    [Fact]
    public async Task Many_committing_over_one_version_at_once_one_wins()
    {
        var store = await CreateAsync();
        await store.TryCommitTallyAsync(Key, null, new ReactionTally(ReactionCounts.Empty, 1), default);
        var read = (await store.GetTallyAsync(Key, default))!;
        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() =>
            store.TryCommitTallyAsync(Key, read, new ReactionTally(ReactionCounts.Empty.With("c:x", i), 2), default))));
        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task A_large_tally_survives_the_round_trip()
    {
        var store = await CreateAsync();
        var counts = ReactionCounts.Empty;
        for (var i = 0; i < 3000; i++)
            counts = counts.With("c:" + i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture), i + 1);
        Assert.True(await store.TryCommitTallyAsync(Key, null, new ReactionTally(counts, 1), default));
        var read = (await store.GetTallyAsync(Key, default))!;
        Assert.Equal(3000, read.Counts.Likes.Count);
        Assert.Equal(3000, read.Counts.CountOf("c:" + 2999.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)));
    }
}

public sealed class InMemoryReactionStoreContract : ReactionStoreContract
{
    protected override Task<IReactionStore> CreateAsync() => Task.FromResult<IReactionStore>(new InMemoryReactionStore());
}

[Collection(AzureContracts.Name)]
public sealed class TableReactionStoreContract(AzuriteFixture azurite) : ReactionStoreContract
{
    protected override async Task<IReactionStore> CreateAsync() => new TableReactionStore(await new AzureTestStorage(azurite).TableAsync());
}
