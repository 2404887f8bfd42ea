using System.Text.Json;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Owner;
using ServerlessComments.PersonalData;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

// The small ports: tombstones of erasures, the owner's lists, one-time tokens, sessions and attempt counters.

public abstract class ErasuresContract
{
    protected abstract Task<IErasures> CreateAsync();

    [Fact]
    public async Task A_tombstone_holds_the_latest_erasure()
    {
        var erasures = await CreateAsync();
        var at = new DateTimeOffset(2026, 11, 2, 8, 30, 15, 123, TimeSpan.FromHours(2));
        Assert.Null(await erasures.ErasedAtAsync("key", default));
        await erasures.RememberAsync("key", at, default);
        Assert.Equal(at, await erasures.ErasedAtAsync("key", default));
        await erasures.RememberAsync("key", at.AddDays(1), default);
        Assert.Equal(at.AddDays(1), await erasures.ErasedAtAsync("key", default));
        Assert.Null(await erasures.ErasedAtAsync("other", default));
    }
}

public sealed class InMemoryErasuresContract : ErasuresContract
{
    protected override Task<IErasures> CreateAsync() => Task.FromResult<IErasures>(new InMemoryErasures());
}

[Collection(AzureContracts.Name)]
public sealed class TableErasuresContract(AzuriteFixture azurite) : ErasuresContract
{
    protected override async Task<IErasures> CreateAsync() => new TableErasures(await new AzureTestStorage(azurite).TableAsync());
}

public abstract class OwnerSettingsContract
{
    protected abstract Task<IOwnerSettings> CreateAsync();

    private static string Json(OwnerLists lists) => JsonSerializer.Serialize(lists, CommentJson.Options);

    [Fact]
    public async Task No_lists_saved_reads_as_empty_lists()
    {
        var settings = await CreateAsync();
        Assert.Equal(Json(OwnerLists.Empty), Json(await settings.GetListsAsync(default)));
    }

    [Fact]
    public async Task Full_lists_are_read_back_as_saved_and_a_save_replaces_them()
    {
        var settings = await CreateAsync();
        // Full lists: more than one table property (64 KiB) can hold.
        var full = new OwnerLists
        {
            BlockWords = Enumerable.Range(0, OwnerLists.MaxEntries).Select(i => $"mot-interdit-{i}-" + new string('é', 80)).ToList(),
            HoldWords = ["attente"], BlockEmails = ["spam@example.com"],
        };
        await settings.SaveListsAsync(full, default);
        Assert.Equal(Json(full), Json(await settings.GetListsAsync(default)));
        var small = new OwnerLists { HoldWords = ["casino"] };
        await settings.SaveListsAsync(small, default);
        Assert.Equal(Json(small), Json(await settings.GetListsAsync(default)));
    }
}

public sealed class InMemoryOwnerSettingsContract : OwnerSettingsContract
{
    protected override Task<IOwnerSettings> CreateAsync() => Task.FromResult<IOwnerSettings>(new InMemoryOwnerSettings());
}

[Collection(AzureContracts.Name)]
public sealed class TableOwnerSettingsContract(AzuriteFixture azurite) : OwnerSettingsContract
{
    protected override async Task<IOwnerSettings> CreateAsync() => new TableOwnerSettings(await new AzureTestStorage(azurite).TableAsync());
}

public abstract class OwnerTokensContract
{
    protected abstract Task<IOwnerTokens> CreateAsync();

    [Fact]
    public async Task A_token_is_used_once_per_kind()
    {
        var tokens = await CreateAsync();
        var expires = DateTimeOffset.UtcNow.AddMinutes(15);
        Assert.False(await tokens.IsUsedAsync("link", "t1", default));
        Assert.True(await tokens.TryUseOnceAsync("link", "t1", expires, default));
        Assert.False(await tokens.TryUseOnceAsync("link", "t1", expires, default));
        Assert.True(await tokens.IsUsedAsync("link", "t1", default));
        Assert.True(await tokens.TryUseOnceAsync("other", "t1", expires, default));
        Assert.False(await tokens.IsUsedAsync("link", "t2", default));
    }

    [Fact]
    public async Task Many_using_one_token_at_once_one_succeeds()
    {
        var tokens = await CreateAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => tokens.TryUseOnceAsync("link", "race", DateTimeOffset.UtcNow.AddMinutes(15), default))));
        Assert.Equal(1, results.Count(r => r));
    }
}

public sealed class InMemoryOwnerTokensContract : OwnerTokensContract
{
    protected override Task<IOwnerTokens> CreateAsync() => Task.FromResult<IOwnerTokens>(new InMemoryOwnerTokens());
}

[Collection(AzureContracts.Name)]
public sealed class TableOwnerTokensContract(AzuriteFixture azurite) : OwnerTokensContract
{
    protected override async Task<IOwnerTokens> CreateAsync() => new TableOwnerTokens(await new AzureTestStorage(azurite).TableAsync());
}

public abstract class OwnerSessionStoreContract
{
    protected abstract Task<IOwnerSessionStore> CreateAsync();

    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, 500, TimeSpan.Zero);
    private static SessionRecord Session(string handle, DateTimeOffset expires, string? agent = "Browser/1") => new(handle, Now, Now, expires, agent);

    [Fact]
    public async Task A_session_is_there_until_removed_and_a_touch_never_brings_one_back()
    {
        var sessions = await CreateAsync();
        var s = Session("h1", Now.AddDays(7), agent: null);
        await sessions.AddAsync(s, default);
        Assert.Equal(s, await sessions.FindAsync("h1", default));
        var touched = s with { LastUsedAt = Now.AddHours(1), ExpiresAt = Now.AddDays(8) };
        await sessions.TouchAsync(touched, default);
        Assert.Equal(touched, await sessions.FindAsync("h1", default));
        await sessions.RemoveAsync("h1", default);
        await sessions.RemoveAsync("h1", default);
        await sessions.TouchAsync(touched, default);
        Assert.Null(await sessions.FindAsync("h1", default));
        Assert.Empty(await sessions.ListAsync(default));
    }

    [Fact]
    public async Task Listing_removing_all_and_purging_the_expired()
    {
        var sessions = await CreateAsync();
        await sessions.AddAsync(Session("old", Now.AddDays(-1)), default);
        await sessions.AddAsync(Session("live", Now.AddDays(1)), default);
        await sessions.AddAsync(Session("live2", Now.AddDays(2)), default);
        Assert.Equal(["live", "live2", "old"], (await sessions.ListAsync(default)).Select(s => s.Handle).Order());
        Assert.Equal(1, await sessions.PurgeAsync(Now, default));
        Assert.Equal(["live", "live2"], (await sessions.ListAsync(default)).Select(s => s.Handle).Order());
        Assert.Equal(2, await sessions.RemoveAllAsync(default));
        Assert.Empty(await sessions.ListAsync(default));
        Assert.Equal(0, await sessions.RemoveAllAsync(default));
    }
}

public sealed class InMemoryOwnerSessionStoreContract : OwnerSessionStoreContract
{
    protected override Task<IOwnerSessionStore> CreateAsync() => Task.FromResult<IOwnerSessionStore>(new InMemoryOwnerSessionStore());
}

[Collection(AzureContracts.Name)]
public sealed class TableOwnerSessionStoreContract(AzuriteFixture azurite) : OwnerSessionStoreContract
{
    protected override async Task<IOwnerSessionStore> CreateAsync() => new TableOwnerTokens(await new AzureTestStorage(azurite).TableAsync());
}

public abstract class AttemptCountersContract
{
    protected abstract Task<IAttemptCounters> CreateAsync();

    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_counter_counts_within_its_window_and_starts_again_after()
    {
        var counters = await CreateAsync();
        var window = TimeSpan.FromMinutes(15);
        Assert.Null(await counters.ReadAsync("k", default));
        Assert.Equal(new AttemptCount(1, Now, Now), await counters.AddAsync("k", window, Now, default));
        Assert.Equal(new AttemptCount(2, Now, Now.AddMinutes(5)), await counters.AddAsync("k", window, Now.AddMinutes(5), default));
        Assert.Equal(new AttemptCount(2, Now, Now.AddMinutes(5)), await counters.ReadAsync("k", default));
        Assert.Equal(new AttemptCount(1, Now.AddMinutes(15), Now.AddMinutes(15)), await counters.AddAsync("k", window, Now.AddMinutes(15), default));
        await counters.ResetAsync("k", default);
        await counters.ResetAsync("k", default);
        Assert.Null(await counters.ReadAsync("k", default));
    }

    [Fact]
    public async Task Many_counting_at_once_all_count()
    {
        var counters = await CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => counters.AddAsync("k", TimeSpan.FromHours(1), Now, default))));
        Assert.Equal(8, (await counters.ReadAsync("k", default))!.Count);
    }

    [Fact]
    public async Task Counters_last_touched_before_a_time_are_forgotten()
    {
        var counters = await CreateAsync();
        await counters.AddAsync("old", TimeSpan.FromHours(1), Now.AddDays(-2), default);
        await counters.AddAsync("new", TimeSpan.FromHours(1), Now, default);
        Assert.Equal(1, await counters.ForgetOlderThanAsync(Now.AddDays(-1), default));
        Assert.Null(await counters.ReadAsync("old", default));
        Assert.NotNull(await counters.ReadAsync("new", default));
    }
}

public sealed class InMemoryAttemptCountersContract : AttemptCountersContract
{
    protected override Task<IAttemptCounters> CreateAsync() => Task.FromResult<IAttemptCounters>(new InMemoryAttemptCounters());
}

[Collection(AzureContracts.Name)]
public sealed class TableAttemptCountersContract(AzuriteFixture azurite) : AttemptCountersContract
{
    protected override async Task<IAttemptCounters> CreateAsync() => new TableAttemptCounters(await new AzureTestStorage(azurite).TableAsync());
}
