using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Moderation.Filter;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class SpamLearningContract
{
    protected abstract Task<ISpamLearning> CreateAsync();

    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public async Task An_example_per_comment_the_latest_decision_replacing_the_earlier()
    {
        var learning = await CreateAsync();
        Assert.Empty(await learning.ListExamplesAsync(default));
        await learning.SaveExampleAsync(new SpamExample("c1", true, "Casino", "https://casino.example/", "Bonus « 200 % » ✨", At), default);
        await learning.SaveExampleAsync(new SpamExample("c2", false, "Ann", null, "Merci !", At), default);
        await learning.SaveExampleAsync(new SpamExample("c1", false, "Casino", null, "Bonus « 200 % » ✨", At.AddMinutes(1)), default);
        var examples = (await learning.ListExamplesAsync(default)).OrderBy(e => e.CommentId, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [new SpamExample("c1", false, "Casino", null, "Bonus « 200 % » ✨", At.AddMinutes(1)), new SpamExample("c2", false, "Ann", null, "Merci !", At)],
            examples);
    }

    [Fact]
    public async Task Forgotten_examples_are_gone_and_forgetting_one_never_kept_is_fine()
    {
        var learning = await CreateAsync();
        await learning.SaveExampleAsync(new SpamExample("c1", true, "A", null, "one", At), default);
        await learning.SaveExampleAsync(new SpamExample("c2", false, "B", null, "two", At), default);
        await learning.ForgetExamplesAsync(["c1", "never-kept"], default);
        Assert.Equal(["c2"], (await learning.ListExamplesAsync(default)).Select(e => e.CommentId));
    }

    [Fact]
    public async Task Examples_are_forgotten_by_their_address_key_and_those_without_one_stay()
    {
        var learning = await CreateAsync();
        await learning.SaveExampleAsync(new SpamExample("c1", true, "X", null, "from x", At, "key-x"), default);
        await learning.SaveExampleAsync(new SpamExample("c2", false, "X", null, "from x again", At, "key-x"), default);
        await learning.SaveExampleAsync(new SpamExample("c3", true, "Y", null, "from y", At, "key-y"), default);
        await learning.SaveExampleAsync(new SpamExample("c4", true, "Old", null, "kept before the key was", At), default);
        Assert.Equal("key-y", (await learning.ListExamplesAsync(default)).Single(e => e.CommentId == "c3").AddressKey);
        await learning.ForgetExamplesByAddressAsync("key-x", default);
        await learning.ForgetExamplesByAddressAsync("key-never-kept", default);
        Assert.Equal(["c3", "c4"], (await learning.ListExamplesAsync(default)).Select(e => e.CommentId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_model_is_read_back_with_a_version_that_changes_and_a_reset_forgets_everything()
    {
        var learning = await CreateAsync();
        Assert.Null(await learning.ReadModelAsync(null, default));
        var big = new byte[3 * 1024 * 1024]; // more than a table row holds
        new Random(1).NextBytes(big);
        await learning.SaveModelAsync(big, default);
        var first = await learning.ReadModelAsync(null, default);
        Assert.Equal(big, first!.Content);
        await learning.SaveModelAsync([1, 2, 3], default);
        var second = await learning.ReadModelAsync(null, default);
        Assert.Equal([1, 2, 3], second!.Content);
        Assert.NotEqual(first.Version, second.Version);
        // An instance holding the latest version is told so without the content; one holding an older one gets it.
        Assert.Equal(new StoredSpamModel(null, second.Version), await learning.ReadModelAsync(second.Version, default));
        Assert.Equal([1, 2, 3], (await learning.ReadModelAsync(first.Version, default))!.Content);

        for (var i = 0; i < 120; i++) // more than one batch of deletes
            await learning.SaveExampleAsync(new SpamExample($"c{i}", i % 2 == 0, "A", null, "text", At), default);
        await learning.ResetAsync(default);
        Assert.Empty(await learning.ListExamplesAsync(default));
        Assert.Null(await learning.ReadModelAsync(null, default));
        await learning.ResetAsync(default); // nothing to forget is fine
    }
}

public sealed class InMemorySpamLearningContract : SpamLearningContract
{
    protected override Task<ISpamLearning> CreateAsync() => Task.FromResult<ISpamLearning>(new InMemorySpamLearning());
}

[Collection(AzureContracts.Name)]
public sealed class StorageSpamLearningContract(AzuriteFixture azurite) : SpamLearningContract
{
    protected override async Task<ISpamLearning> CreateAsync()
    {
        var storage = new AzureTestStorage(azurite);
        _table = await storage.TableAsync();
        return new StorageSpamLearning(_table, storage.Blobs);
    }

    private Adapters.Tables.CommentTable? _table;

    [Fact]
    public async Task An_example_row_kept_before_the_address_key_still_loads()
    {
        var learning = await CreateAsync();
        await _table!.Client.AddEntityAsync(new Azure.Data.Tables.TableEntity("~spam-examples", "old")
        {
            ["IsSpam"] = true, ["Author"] = "Old", ["Body"] = "no key here", ["DecidedAt"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });
        var example = Assert.Single(await learning.ListExamplesAsync(default));
        Assert.Equal(new SpamExample("old", true, "Old", null, "no key here", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), example);
        await learning.ForgetExamplesByAddressAsync("some-key", default);
        Assert.Single(await learning.ListExamplesAsync(default));
    }
}
