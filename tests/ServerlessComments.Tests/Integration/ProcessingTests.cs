using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

[Collection(StorageCollection.Name)]
public sealed class ProcessingTests(AzuriteFixture azurite)
{
    private static string Message(string id, string thread) => JsonSerializer.Serialize(new
    {
        id,
        thread,
        author = "Ann",
        email = "ann@example.com",
        body = "Delivered more than once",
        createdAt = DateTimeOffset.UtcNow,
    }, JsonSerializerOptions.Web);

    private static async Task<int> StoredIn(TableClient table, string thread)
    {
        var n = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == ThreadKey.For(thread)))
        {
            if (!row.RowKey.StartsWith('~')) // the thread's view state lives beside its comments
                n++;
        }
        return n;
    }

    private static async Task<bool> QueueIsEmpty(SelfHost host) =>
        (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0;

    [Fact]
    public async Task The_same_message_delivered_twice_stores_one_comment()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString);
        const string thread = "/dup/";
        var id = CommentId.New(DateTimeOffset.UtcNow);
        var message = Message(id, thread);

        await host.Queue.SendMessageAsync(message);
        await host.Queue.SendMessageAsync(message);
        await Eventually.HoldsAsync(async () => await StoredIn(host.Table, thread) == 1 && await QueueIsEmpty(host), "both deliveries to be processed");

        // And once more, long after the first was stored.
        await host.Queue.SendMessageAsync(message);
        await Eventually.HoldsAsync(() => QueueIsEmpty(host), "the late duplicate to be processed");

        Assert.Equal(1, await StoredIn(host.Table, thread));
        var view = await host.GetThreadAsync(thread);
        Assert.Equal(1, view.GetProperty("count").GetInt32());
        Assert.Equal(id, view.GetProperty("comments")[0].GetProperty("id").GetString());
        Assert.False(await host.PoisonQueue.ExistsAsync(), "a duplicate is not a failure");
    }

    [Fact]
    public async Task An_accepted_comment_waits_in_its_queue_without_expiring()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string> { ["AzureWebJobs_ProcessComment_Disabled"] = "true" });
        await host.PostAcceptedAsync(Api.Comment("/waits/", "Still here next month?"));
        var waiting = (await host.Queue.PeekMessageAsync()).Value;
        // Azure's default is 7 days; a message sent with a time-to-live of -1 never expires.
        Assert.True(waiting.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"expires {waiting.ExpiresOn}");
    }

    [Fact]
    public async Task A_comment_that_keeps_failing_lands_in_the_poison_queue_and_replay_brings_it_back()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "2",
        });
        const string thread = "/poison/";

        // Storage trouble: the comment table is gone, so every try fails.
        await host.Table.DeleteAsync();
        var response = await host.Http.PostAsJsonAsync("api/comments", new { thread, author = "Ann", email = "ann@example.com", body = "Will I survive?" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // The listener copies a message to the poison queue, then deletes it from its own queue:
        // wait for both, since a look between the two sees it in each.
        await Eventually.HoldsAsync(async () => await host.PoisonQueue.ExistsAsync() &&
                                                (await host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1 &&
                                                await QueueIsEmpty(host),
            "the comment to move to the poison queue");
        var poisoned = (await host.PoisonQueue.PeekMessageAsync()).Value;
        Assert.Contains(id!, poisoned.Body.ToString());

        // The operator fixes storage; health shows what waits in the poison queue; they replay it.
        await host.Table.CreateIfNotExistsAsync();
        var health = JsonDocument.Parse(await host.Http.GetStringAsync("api/health")).RootElement;
        Assert.Equal(1, health.GetProperty("poison").GetProperty("comments").GetInt32());
        var (exitCode, output) = await host.RunCommandAsync("replay-poison");
        Assert.True(exitCode == 0, output);
        Assert.Contains("Replayed 1 message(s)", output);

        await Eventually.HoldsAsync(async () => (await host.GetThreadAsync(thread)).GetProperty("count").GetInt32() == 1, "the replayed comment to be published");
        Assert.Equal(id, (await host.GetThreadAsync(thread)).GetProperty("comments")[0].GetProperty("id").GetString());
        Assert.Equal(0, (await host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, JsonDocument.Parse(await host.Http.GetStringAsync("api/health")).RootElement.GetProperty("poison").GetProperty("comments").GetInt32());
    }
}
