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
    public async Task The_model_is_read_back_with_a_version_that_changes_and_a_reset_forgets_everything()
    {
        var learning = await CreateAsync();
        Assert.Null(await learning.ReadModelAsync(default));
        var big = new byte[3 * 1024 * 1024]; // more than a table row holds
        new Random(1).NextBytes(big);
        await learning.SaveModelAsync(big, default);
        var first = await learning.ReadModelAsync(default);
        Assert.Equal(big, first!.Content);
        await learning.SaveModelAsync([1, 2, 3], default);
        var second = await learning.ReadModelAsync(default);
        Assert.Equal([1, 2, 3], second!.Content);
        Assert.NotEqual(first.Version, second.Version);

        for (var i = 0; i < 120; i++) // more than one batch of deletes
            await learning.SaveExampleAsync(new SpamExample($"c{i}", i % 2 == 0, "A", null, "text", At), default);
        await learning.ResetAsync(default);
        Assert.Empty(await learning.ListExamplesAsync(default));
        Assert.Null(await learning.ReadModelAsync(default));
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
        return new StorageSpamLearning(await storage.TableAsync(), storage.Blobs);
    }
}
