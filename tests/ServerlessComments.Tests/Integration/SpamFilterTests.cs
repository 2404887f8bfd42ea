using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Comments;
using ServerlessComments.Moderation.Filter;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Contracts;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The learning filter over real storage: what one instance learns, every instance judges with.</summary>
[Collection(StorageCollection.Name)]
public sealed class SpamFilterStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Two_instances_over_one_storage_account_judge_with_the_same_model_within_a_minute()
    {
        var storage = new AzureTestStorage(azurite);
        var table = await storage.TableAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        SpamFilter Instance() => new(new StorageSpamLearning(table, storage.Blobs), Options.Create(new SpamFilterOptions()), clock, NullLogger<SpamFilter>.Instance,
            new ServerlessComments.Accepting.GuardKeys(Options.Create(new ServerlessComments.Notifications.NotificationOptions())));
        var (one, two) = (Instance(), Instance());
        var comment = new CommentSubmission { Id = "x", Thread = "/t/", Author = "Zed", Email = "", Body = "Les pastilles Quorvane calment la toux, Quorvane en vente libre.", CreatedAt = clock.GetUtcNow() };
        var before = (await two.ScoreAsync(comment, default))!.Probability;
        Assert.Equal(before, (await one.ScoreAsync(comment, default))!.Probability);

        for (var i = 0; i < 4; i++)
        {
            var stored = new StoredComment { Id = $"c{i}", Thread = "/t/", Author = "Zed", Email = "z@example.com", Body = $"Quorvane {i}: les pastilles Quorvane, Quorvane pas cher.", CreatedAt = clock.GetUtcNow(), Status = CommentStatus.Spam };
            await one.LearnAsync(stored, isSpam: true, default);
        }
        Assert.Equal(4, await one.RetrainAsync(default));
        Assert.True((await one.ScoreAsync(comment, default))!.Probability > before, "the instance that retrained uses the new model at once");
        Assert.Equal(before, (await two.ScoreAsync(comment, default))!.Probability); // still within its minute

        clock.Advance(SpamFilter.Freshness);
        var after = (await two.ScoreAsync(comment, default))!.Probability;
        Assert.Equal((await one.ScoreAsync(comment, default))!.Probability, after);
        Assert.True(after > before);
        Assert.Equal(4, (await two.StatusAsync(default)).LearntExamples);

        // Retraining the same examples again writes nothing new.
        var version = (await new StorageSpamLearning(table, storage.Blobs).ReadModelAsync(null, default))!.Version;
        Assert.Equal(4, await two.RetrainAsync(default));
        Assert.Equal(version, (await new StorageSpamLearning(table, storage.Blobs).ReadModelAsync(null, default))!.Version);

        await two.ResetAsync(default);
        clock.Advance(SpamFilter.Freshness);
        Assert.Equal(before, (await one.ScoreAsync(comment, default))!.Probability);
        Assert.Equal(0, (await one.StatusAsync(default)).LearntExamples);
    }

    [Fact]
    public async Task On_a_fresh_install_a_clear_spam_is_marked_spam_the_owner_teaches_and_resets_over_the_api()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey, ["Moderation__Mode"] = "none",
        });
        var spam = await host.PostAcceptedAsync(Api.Comment("/filtered/",
            "Buy cheap viagra online without prescription!!! Best casino bonus and free spins, visit http://cheap-pills-casino.example/buy http://casino-bonus.example"));
        var stored = await host.StoredAsync(spam);
        Assert.Equal("spam", stored.GetProperty("status").GetString());
        Assert.StartsWith("filter: spam ", stored.GetProperty("reasons")[0].GetString());

        Assert.Equal(HttpStatusCode.OK, (await host.AdminAsync(HttpMethod.Post, $"comments/{spam}/ham")).StatusCode);
        var state = await (await host.AdminAsync(HttpMethod.Get, "spam-filter")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(state.GetProperty("on").GetBoolean());
        Assert.Equal(1, state.GetProperty("hamExamples").GetInt32());
        Assert.True(state.GetProperty("startingComments").GetInt32() > 2000);

        var reset = await host.AdminAsync(HttpMethod.Post, "spam-filter/reset");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(0, (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hamExamples").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.AdminAsync(HttpMethod.Post, "spam-filter/reset", key: "wrong-key-0123456789abcdef0123456789")).StatusCode);
    }

    [Fact]
    public async Task Erasing_an_address_forgets_the_examples_of_its_comments_the_owner_deleted_as_spam_and_keeps_another_addresses()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey, ["Moderation__Mode"] = "all",
        });
        var erased = await host.PostAcceptedAsync(Api.Comment("/erase-examples/", "Quorvane pastilles, the erased reader's words.", author: "Xena", email: "Xena@Example.com"));
        var kept = await host.PostAcceptedAsync(Api.Comment("/erase-examples/", "Quorvane pastilles, another reader's words.", author: "Yann", email: "yann@example.com"));
        await host.StoredAsync(erased);
        await host.StoredAsync(kept);
        // Deleting a held comment teaches spam: the comment is gone, its example stays.
        Assert.Equal(HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Delete, $"comments/{erased}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Delete, $"comments/{kept}")).StatusCode);
        Assert.Contains(await ExampleBodiesAsync(host), b => b.Contains("the erased reader's words"));

        using var erase = new HttpRequestMessage(HttpMethod.Post, "api/admin/personal-data/erase")
        {
            Content = JsonContent.Create(new { email = "xena@example.com ", mode = "delete", keepText = false, lang = "en" }),
        };
        erase.Headers.Authorization = new("Bearer", Api.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(erase)).StatusCode);

        var bodies = await ExampleBodiesAsync(host);
        Assert.DoesNotContain(bodies, b => b.Contains("the erased reader's words"));
        Assert.Contains(bodies, b => b.Contains("another reader's words"));
        Assert.Equal(1, (await (await host.AdminAsync(HttpMethod.Get, "spam-filter")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("spamExamples").GetInt32());
    }

    /// <summary>Every text the filter's stored examples hold, read straight from the table.</summary>
    private static async Task<List<string>> ExampleBodiesAsync(SelfHost host)
    {
        var bodies = new List<string>();
        await foreach (var row in host.Table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "~spam-examples"))
            bodies.Add(row.GetString("Body") ?? "");
        return bodies;
    }
}
