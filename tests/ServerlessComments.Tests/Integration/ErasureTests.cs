using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ServerlessComments.Comments;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>An erasure over the real self-host and Azurite: afterwards the address, the IPs
/// and (deleted) the name are in no table row, blob, queue message, export or log, and a comment
/// that waited in a queue or the poison queue never comes back.</summary>
[Collection(StorageCollection.Name)]
public sealed class ErasureTests(AzuriteFixture azurite)
{
    private const string Email = "Erinna.Quist@example.org";
    private const string Name = "Erinna Quist";
    private const string Ip1 = "203.0.113.171";
    private const string Ip2 = "198.51.100.172";

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Admin__ApiKey"] = Api.AdminKey,
        ["Network__TrustForwardedHeaders"] = "true",
        // The tombstone's key comes from it: the replay command, another process, must find the same.
        ["Notifications__LinkSecret"] = "erasure-tests-link-secret-of-enough-length",
    };

    private static Dictionary<string, string> With(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    private static Action<HttpRequestMessage> From(string ip) => r => r.Headers.Add("X-Forwarded-For", ip);

    private static async Task<JsonElement> EraseAsync(SelfHost host, string mode)
    {
        using var erase = new HttpRequestMessage(HttpMethod.Post, "api/admin/personal-data/erase")
        {
            Content = JsonContent.Create(new { email = Email.ToUpperInvariant(), mode, keepText = false, lang = "en" }),
        };
        erase.Headers.Authorization = new("Bearer", Api.AdminKey);
        var response = await host.Http.SendAsync(erase);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Where in the whole storage account any of the strings is found (without case), also in
    /// base64-decoded queue messages; empty when nowhere.</summary>
    private static async Task<List<string>> FindEverywhereAsync(string storage, params string[] needles)
    {
        var found = new List<string>();
        void Check(string where, string? text)
        {
            if (text is null)
                return;
            foreach (var needle in needles)
            {
                if (text.Contains(needle, StringComparison.OrdinalIgnoreCase))
                    found.Add($"{where}: {needle}");
            }
        }
        var tables = new TableServiceClient(storage);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in row)
                    Check($"table {table.Name} row {row.PartitionKey}/{row.RowKey} {key}", value?.ToString());
            }
        }
        var blobs = new BlobServiceClient(storage);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Traits = Azure.Storage.Blobs.Models.BlobTraits.Metadata }))
            {
                Check($"blob {container.Name}/{blob.Name}", blob.Name);
                Check($"blob {container.Name}/{blob.Name} metadata", string.Join(" ", blob.Metadata.Values));
                Check($"blob {container.Name}/{blob.Name}", (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString());
            }
        }
        var queues = new QueueServiceClient(storage);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            var client = queues.GetQueueClient(queue.Name);
            var count = (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            Assert.True(count <= 32, $"queue {queue.Name} holds {count} messages, more than a peek shows");
            foreach (var message in (await client.PeekMessagesAsync(32)).Value)
            {
                var raw = message.Body.ToString();
                Check($"queue {queue.Name} message {message.MessageId}", raw);
                try
                {
                    Check($"queue {queue.Name} message {message.MessageId} (base64)", Encoding.UTF8.GetString(Convert.FromBase64String(raw)));
                }
                catch (FormatException)
                {
                }
            }
        }
        return found;
    }

    private static string Large(string text) => text + " " + string.Concat(Enumerable.Repeat("😀", 9_000));

    [Fact]
    public async Task After_an_erasure_nothing_in_the_storage_account_exports_or_logs_holds_the_address_ips_or_name()
    {
        var hostA = await SelfHost.StartAsync(azurite.ConnectionString, Settings);
        string queueName, tableName, notifications, container, logA;
        await using (hostA)
        {
            queueName = hostA.Queue.Name; tableName = hostA.Table.Name; notifications = hostA.NotificationQueue.Name; container = hostA.ThreadContainer;
            using var lists = new HttpRequestMessage(HttpMethod.Put, "api/admin/lists")
            {
                Content = JsonContent.Create(new { holdIps = new[] { Ip2, "192.0.2.0/24" }, blockEmails = new[] { Email.ToLowerInvariant(), "troll@example.com" } }),
            };
            lists.Headers.Authorization = new("Bearer", Api.AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await hostA.Http.SendAsync(lists)).StatusCode);
            // Blocked by address (spam, kept for the owner), then held by address and IP.
            var spam = await hostA.PostAcceptedAsync(Api.Comment("/erase/one/", "First words", author: Name, email: Email), From(Ip1));
            var other = await hostA.PostAcceptedAsync(Api.Comment("/erase/one/", "Someone else", author: "Ann", email: "ann@example.com"), From("100.64.0.9"));
            await hostA.StoredAsync(spam);
            await hostA.StoredAsync(other);
            using var holding = new HttpRequestMessage(HttpMethod.Put, "api/admin/lists")
            {
                Content = JsonContent.Create(new { holdIps = new[] { Ip2, "192.0.2.0/24" }, blockEmails = new[] { "troll@example.com" }, holdEmails = new[] { Email } }),
            };
            holding.Headers.Authorization = new("Bearer", Api.AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await hostA.Http.SendAsync(holding)).StatusCode);
            var held = await hostA.PostAcceptedAsync(Api.Comment("/erase/two/", "Held words", author: Name, email: Email), From(Ip2));
            Assert.Equal("pending", (await hostA.StoredAsync(held)).GetProperty("status").GetString());
            Assert.Equal("spam", (await hostA.StoredAsync(spam)).GetProperty("status").GetString());
            logA = hostA.Log;
        }

        // A second host with processing off: what it accepts waits in the queue.
        var hostB = await SelfHost.StartAsync(azurite.ConnectionString, With(
            ("Storage__CommentQueue", queueName), ("Storage__CommentTable", tableName), ("Storage__NotificationQueue", notifications),
            ("Storage__ThreadContainer", container), ("AzureWebJobs_ProcessComment_Disabled", "true")));
        await using (hostB)
        {
            var queued = await hostB.PostAcceptedAsync(Api.Comment("/erase/three/", "Queued words", author: Name, email: Email), From(Ip1));
            await hostB.PostAcceptedAsync(Api.Comment("/erase/three/", Large("Large words"), author: Name, email: Email), From(Ip2));
            var kept = await hostB.PostAcceptedAsync(Api.Comment("/erase/three/", "Not theirs", author: "Ann", email: "ann@example.com"), From("192.0.2.10"));
            // One of theirs failed into the poison queue earlier.
            var waiting = (await hostB.Queue.PeekMessagesAsync(32)).Value;
            Assert.Equal(3, waiting.Length);
            await hostB.PoisonQueue.CreateIfNotExistsAsync();
            await hostB.PoisonQueue.SendMessageAsync(waiting.Single(m => m.Body.ToString().Contains(queued)).Body);
            // A view writer that lost a race left a chunk holding the comment as it was.
            var blobs = new BlobContainerClient(azurite.ConnectionString, container);
            await blobs.GetBlobClient($"{ThreadKey.For("/erase/one/")}/chunks/lost.json")
                .UploadAsync(BinaryData.FromString($"[{{\"author\":\"{Name}\",\"body\":\"First words\"}}]"));
            Assert.NotEmpty(await FindEverywhereAsync(azurite.ConnectionString, Email, Ip1, Ip2, Name)); // the scan sees them

            var summary = await EraseAsync(hostB, "delete");
            Assert.Equal(2, summary.GetProperty("deleted").GetInt32());
            Assert.Equal(3, summary.GetProperty("waiting").GetInt32());

            var left = await FindEverywhereAsync(azurite.ConnectionString, Email, Ip1, Ip2, Name);
            Assert.True(left.Count == 0, string.Join("\n", left));
            foreach (var format in new[] { "json", "wxr&blogUrl=https://blog.example.com", "disqus&blogUrl=https://blog.example.com" })
            {
                var export = await (await hostB.AdminAsync(HttpMethod.Get, "export?format=" + format)).Content.ReadAsStringAsync();
                Assert.Contains("Someone else", export);
                foreach (var needle in new[] { Email, Ip1, Ip2, Name })
                    Assert.DoesNotContain(needle, export, StringComparison.OrdinalIgnoreCase);
            }
            // The other reader's waiting comment is still there, and the owner's other entries.
            Assert.Contains((await hostB.Queue.PeekMessagesAsync(32)).Value, m => m.Body.ToString().Contains(kept));
            var ownerLists = await (await hostB.AdminAsync(HttpMethod.Get, "lists")).Content.ReadAsStringAsync();
            Assert.Contains("192.0.2.0/24", ownerLists);
            Assert.Contains("troll@example.com", ownerLists);
            foreach (var log in new[] { logA, hostB.Log })
            {
                foreach (var needle in new[] { Email, Ip1, Ip2 })
                    Assert.DoesNotContain(needle, log, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task A_comment_erased_while_it_failed_is_not_stored_again_by_replaying_the_poison_queue()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, With(("AzureFunctionsJobHost__extensions__queues__maxDequeueCount", "2")));
        const string thread = "/erase/poison/";
        await host.Table.DeleteAsync();
        var id = await host.PostAcceptedAsync(Api.Comment(thread, "Will I survive?", author: Name, email: Email), From(Ip1));
        await Eventually.HoldsAsync(async () => await host.PoisonQueue.ExistsAsync() &&
                                                (await host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1 &&
                                                (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            "the comment to move to the poison queue");
        var poisoned = (await host.PoisonQueue.PeekMessageAsync()).Value.Body;
        Assert.Contains(id, poisoned.ToString());
        await host.Table.CreateIfNotExistsAsync();

        var summary = await EraseAsync(host, "anonymise");
        Assert.Equal(1, summary.GetProperty("waiting").GetInt32());
        Assert.Equal(0, (await host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // A copy the erasure could not reach (a worker held it, it failed later): replay drops it...
        await host.PoisonQueue.SendMessageAsync(poisoned);
        var (exitCode, output) = await host.RunCommandAsync("replay-poison");
        Assert.True(exitCode == 0, output);
        Assert.Contains($"Replayed 0 message(s) from '{host.PoisonQueue.Name}'", output);
        Assert.Equal(0, (await host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        // ...and processing drops one that reaches the queue anyway.
        await host.Queue.SendMessageAsync(poisoned);
        await host.DrainedAsync();
        var marker = await host.PostAcceptedAsync(Api.Comment(thread, "After the erasure", author: "Ann", email: "ann@example.com"));
        await host.StoredAsync(marker);
        Assert.Null(await host.FindAsync(id));
        Assert.Equal(1, await host.CountAsync(thread));
        Assert.DoesNotContain(Ip1, host.Log);
        Assert.DoesNotContain(Email, host.Log, StringComparison.OrdinalIgnoreCase);
    }
}
