using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The site's counts document and the first pages kept in memory, over the real
/// self-host and Azurite: one document beside the views, right after two instances wrote it at
/// once, after an erasure, and for threads older than it.</summary>
[Collection(StorageCollection.Name)]
public sealed class SiteCountsTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string> Settings = new() { ["Admin__ApiKey"] = Api.AdminKey };

    private static Dictionary<string, string> SameStorageAs(SelfHost host) => new(Settings)
    {
        ["Storage__CommentQueue"] = host.Queue.Name, ["Storage__CommentTable"] = host.Table.Name,
        ["Storage__NotificationQueue"] = host.NotificationQueue.Name, ["Storage__ThreadContainer"] = host.ThreadContainer,
    };

    private BlobClient Document(SelfHost host) => new BlobContainerClient(azurite.ConnectionString, host.ThreadContainer).GetBlobClient("counts.json");

    /// <summary>counts.json as stored; empty when there is none.</summary>
    private async Task<Dictionary<string, int>> StoredAsync(SelfHost host)
    {
        var blob = Document(host);
        if (!await blob.ExistsAsync())
            return [];
        var json = JsonDocument.Parse((await blob.DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.Equal(["threads"], json.EnumerateObject().Select(p => p.Name)); // nothing but the counts
        return json.GetProperty("threads").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
    }

    private static string CountsQuery(IEnumerable<string> threads) => "api/comments/count?" + string.Join("&", threads.Select(t => "thread=" + Uri.EscapeDataString(t)));

    private static async Task<Dictionary<string, int>> CountsAsync(SelfHost host, params string[] threads) =>
        (await host.Http.GetFromJsonAsync<JsonElement>(CountsQuery(threads))).GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    [Fact]
    public async Task Counts_come_from_one_document_beside_the_views_with_an_etag_and_the_pages_cache_lifetime()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, Settings);
        await host.PostAcceptedAsync(Api.Comment("/c/a/", "Un", email: "un@example.com"));
        await host.PostAcceptedAsync(Api.Comment("/c/a/", "Deux", author: "Bob", email: "deux@example.com"));
        await host.PostAcceptedAsync(Api.Comment("/c/«b»/", "Trois"));
        var expected = new Dictionary<string, int> { ["/c/a/"] = 2, ["/c/«b»/"] = 1 };
        await Eventually.HoldsAsync(async () => (await StoredAsync(host)).Count == 2 && (await StoredAsync(host))["/c/a/"] == 2, "both threads' counts to be stored");
        Assert.Equal(expected, await StoredAsync(host));
        var properties = (await Document(host).GetPropertiesAsync()).Value;
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal("public, max-age=0, s-maxage=5", properties.CacheControl);

        var query = CountsQuery(["/c/a/", "/c/«b»/", "/c/none/"]);
        var answer = await host.Http.GetAsync(query);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("public, max-age=0, s-maxage=5", answer.Headers.CacheControl?.ToString());
        Assert.NotNull(answer.Headers.ETag);
        var counts = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("/c/a/").GetInt32());
        Assert.Equal(1, counts.GetProperty("/c/«b»/").GetInt32());
        Assert.Equal(0, counts.GetProperty("/c/none/").GetInt32());

        var again = new HttpRequestMessage(HttpMethod.Get, query);
        again.Headers.IfNoneMatch.Add(answer.Headers.ETag!);
        var notModified = await host.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Two_instances_processing_at_once_leave_every_threads_count_right_and_each_serves_the_others_pages()
    {
        await using var hostA = await SelfHost.StartAsync(azurite.ConnectionString, Settings);
        await using var hostB = await SelfHost.StartAsync(azurite.ConnectionString, SameStorageAs(hostA));
        var threads = new[] { "/two/same/", "/two/a/", "/two/b/" };
        // Both instances take comments from the one queue: each thread's comments are processed by both.
        await Task.WhenAll(Enumerable.Range(0, 36).Select(i =>
            (i % 2 == 0 ? hostA : hostB).PostAcceptedAsync(Api.Comment(threads[i % 3], $"Commentaire {i}", author: $"R{i}", email: $"r{i}@example.com"))));

        var expected = threads.ToDictionary(t => t, _ => 12);
        await Eventually.HoldsAsync(async () => (await StoredAsync(hostA)).OrderBy(p => p.Key).SequenceEqual(expected.OrderBy(p => p.Key)),
            "every thread's count to reach 12 in counts.json", TimeSpan.FromSeconds(60));
        foreach (var host in new[] { hostA, hostB })
        {
            await Eventually.HoldsAsync(async () => (await CountsAsync(host, threads)).All(c => c.Value == 12), "each instance's counts to be current");
            foreach (var thread in threads)
                await Eventually.HoldsAsync(async () => await host.CountAsync(thread) == 12, "each instance's first pages to be current");
        }
        Assert.DoesNotContain("counts document could not be updated", hostA.Log + hostB.Log);
    }

    [Fact]
    public async Task An_erasure_lowers_the_count_and_a_thread_left_empty_leaves_the_document()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, Settings);
        await host.PostAcceptedAsync(Api.Comment("/erase-count/", "Premier", author: "Erin", email: "erin@example.com"));
        await host.PostAcceptedAsync(Api.Comment("/erase-count/", "Second", author: "Ann", email: "ann@example.com"));
        await host.PostAcceptedAsync(Api.Comment("/erase-count/only/", "Seul", author: "Erin", email: "erin@example.com"));
        await Eventually.HoldsAsync(async () => (await CountsAsync(host, "/erase-count/", "/erase-count/only/")).Values.Sum() == 3, "the three comments to be counted");

        using var erase = new HttpRequestMessage(HttpMethod.Post, "api/admin/personal-data/erase")
        {
            Content = JsonContent.Create(new { email = "erin@example.com", mode = "delete", keepText = false, lang = "en" }),
        };
        erase.Headers.Authorization = new("Bearer", Api.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(erase)).StatusCode);

        Assert.Equal(new Dictionary<string, int> { ["/erase-count/"] = 1 }, await StoredAsync(host));
        Assert.Equal(new Dictionary<string, int> { ["/erase-count/"] = 1, ["/erase-count/only/"] = 0 }, await CountsAsync(host, "/erase-count/", "/erase-count/only/"));
    }

    [Fact]
    public async Task Threads_older_than_the_document_get_their_counts_at_the_first_start_after_upgrading_and_from_rebuild_views()
    {
        Dictionary<string, string> settings;
        await using (var before = await SelfHost.StartAsync(azurite.ConnectionString, Settings))
        {
            settings = SameStorageAs(before);
            await before.PostAcceptedAsync(Api.Comment("/old/", "Ancien"));
            await Eventually.HoldsAsync(async () => (await StoredAsync(before)).ContainsKey("/old/"), "the count to be stored");
            // As an account was before this version: views built, no counts document.
            await Document(before).DeleteAsync();
            await new TableClient(azurite.ConnectionString, before.Table.Name)
                .UpsertEntityAsync(new TableEntity("~meta", "views") { ["Version"] = 1 }, TableUpdateMode.Replace);
        }

        await using var after = await SelfHost.StartAsync(azurite.ConnectionString, settings);
        await Eventually.HoldsAsync(async () => (await CountsAsync(after, "/old/"))["/old/"] == 1, "the old thread to be counted after start-up");
        Assert.Equal(new Dictionary<string, int> { ["/old/"] = 1 }, await StoredAsync(after));

        await Document(after).DeleteAsync();
        var (exit, output) = await after.RunCommandAsync("rebuild-views");
        Assert.True(exit == 0, output);
        Assert.Equal(new Dictionary<string, int> { ["/old/"] = 1 }, await StoredAsync(after));
    }
}
