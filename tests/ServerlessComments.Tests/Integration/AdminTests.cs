using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Processing;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

[Collection(StorageCollection.Name)]
public sealed class AdminTests(AzuriteFixture azurite)
{
    private static string Status(JsonElement comment) => comment.GetProperty("status").GetString()!;

    [Fact]
    public async Task The_owner_approves_marks_spam_marks_ham_and_deletes_and_the_count_follows()
    {
        await using var akismet = await FakeAkismet.StartAsync();
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey, ["Moderation__Mode"] = "all",
            ["Akismet__ApiKey"] = FakeAkismet.Key, ["Akismet__BlogUrl"] = "https://blog.example.com/", ["Akismet__BaseUrl"] = akismet.BaseUrl.ToString(),
        });
        const string thread = "/moderated/";
        var id = await host.PostAcceptedAsync(Api.Comment(thread, "Please approve me", website: "https://ann.example/"),
            r => r.Headers.UserAgent.ParseAdd("TestBrowser/1.0"));
        var held = await host.StoredAsync(id);
        Assert.Equal("pending", Status(held));
        // The owner sees what readers never do.
        Assert.Equal("ann@example.com", held.GetProperty("email").GetString());
        Assert.Equal("127.0.0.1", held.GetProperty("ip").GetString());
        Assert.Equal("TestBrowser/1.0", held.GetProperty("userAgent").GetString());
        Assert.Equal(0, await host.CountAsync(thread));

        async Task<JsonElement> Act(HttpMethod method, string path)
        {
            var response = await host.AdminAsync(method, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        Assert.Equal("published", Status(await Act(HttpMethod.Post, $"comments/{id}/approve")));
        Assert.Equal("published", Status(await Act(HttpMethod.Post, $"comments/{id}/approve"))); // idempotent
        Assert.Equal(1, await host.CountAsync(thread));
        var counts = await host.Http.GetFromJsonAsync<JsonElement>("api/comments/count?thread=%2Fmoderated%2F");
        Assert.Equal(1, counts.GetProperty("counts").GetProperty(thread).GetInt32());
        Assert.Empty(akismet.CallsTo("submit-ham")); // approving is not a correction of Akismet

        Assert.Equal("spam", Status(await Act(HttpMethod.Post, $"comments/{id}/spam")));
        Assert.Equal("spam", Status(await Act(HttpMethod.Post, $"comments/{id}/spam")));
        Assert.Equal(0, await host.CountAsync(thread));
        var submitted = Assert.Single(akismet.CallsTo("submit-spam"));
        Assert.Equal("Please approve me", submitted["comment_content"]);
        Assert.Equal("127.0.0.1", submitted["user_ip"]);
        Assert.Equal("TestBrowser/1.0", submitted["user_agent"]);
        Assert.Equal("https://ann.example/", submitted["comment_author_url"]);

        Assert.Equal("published", Status(await Act(HttpMethod.Post, $"comments/{id}/ham")));
        Assert.Equal("published", Status(await Act(HttpMethod.Post, $"comments/{id}/ham")));
        Assert.Single(akismet.CallsTo("submit-ham"));
        Assert.Equal(1, await host.CountAsync(thread));

        Assert.Equal(HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Delete, $"comments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.AdminAsync(HttpMethod.Delete, $"comments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.AdminAsync(HttpMethod.Post, $"comments/{id}/approve")).StatusCode);
        Assert.Equal(0, await host.CountAsync(thread));
        Assert.Null(await host.FindAsync(id));
    }

    [Fact]
    public async Task The_list_is_newest_first_filtered_and_paged()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey, ["Moderation__Mode"] = "all",
        });
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add(await host.PostAcceptedAsync(Api.Comment("/paged/", $"Comment {i}", email: $"p{i}@example.com")));
        var other = await host.PostAcceptedAsync(Api.Comment("/elsewhere/", "Other thread"));
        await host.DrainedAsync();

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await host.AdminListAsync("pending", "&thread=%2Fpaged%2F&pageSize=2" + (token is null ? "" : "&continuationToken=" + token));
            var items = page.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items);
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        var all = await host.AdminListAsync("pending");
        Assert.Equal(other, all.GetProperty("comments")[0].GetProperty("id").GetString());
        Assert.Equal(6, all.GetProperty("comments").GetArrayLength());
        Assert.Equal(0, (await host.AdminListAsync("published")).GetProperty("comments").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.AdminAsync(HttpMethod.Get, "comments?status=deleted")).StatusCode);
    }

    public static readonly TheoryData<string, string> Routes = new()
    {
        { "GET", "comments?status=pending" },
        { "POST", "comments/{id}/approve" },
        { "POST", "comments/{id}/spam" },
        { "POST", "comments/{id}/ham" },
        { "DELETE", "comments/{id}" },
    };

    [Fact]
    public async Task Every_admin_route_refuses_a_missing_or_wrong_key_and_changes_nothing()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey, ["Moderation__Mode"] = "all",
            // This test sends many wrong keys on purpose: the guessing limit (OwnerAccessTests) is not its subject.
            ["Admin__KeyFailuresPerClient"] = "100000", ["Admin__KeyFailuresSiteWide"] = "100000",
        });
        var id = await host.PostAcceptedAsync(Api.Comment("/guarded/", "Held"));
        await host.StoredAsync(id);

        foreach (var (method, path) in Routes.Select(r => (r.Data.Item1, r.Data.Item2.Replace("{id}", id))))
        {
            foreach (var key in new string?[] { null, "wrong", Api.AdminKey + "x", Api.AdminKey[..^1], "" })
            {
                var response = await host.AdminAsync(new HttpMethod(method), path, key);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with key '{key}': {(int)response.StatusCode}");
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
            // A key sent another way than as a bearer token does not count either.
            var basic = new HttpRequestMessage(new HttpMethod(method), "api/admin/" + path);
            basic.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + Api.AdminKey)));
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(basic)).StatusCode);
        }

        var still = await host.StoredAsync(id);
        Assert.Equal("pending", Status(still));
        Assert.Equal(0, await host.CountAsync("/guarded/"));
    }

    [Fact]
    public async Task Without_a_configured_key_the_admin_api_is_off()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string> { ["Moderation__Mode"] = "all" });
        var id = await host.PostAcceptedAsync(Api.Comment("/no-admin/", "Held"));
        await host.DrainedAsync();
        foreach (var (method, path) in Routes.Select(r => (r.Data.Item1, r.Data.Item2.Replace("{id}", id))))
        {
            foreach (var key in new string?[] { null, "", "anything" })
                Assert.Equal(HttpStatusCode.NotFound, (await host.AdminAsync(new HttpMethod(method), path, key)).StatusCode);
        }
        Assert.Equal(0, await host.CountAsync("/no-admin/"));
    }

    [Fact]
    public async Task The_retention_job_erases_ip_and_user_agent_of_old_comments_only()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var options = Options.Create(new StorageOptions { CommentTable = "retention" + Guid.NewGuid().ToString("N")[..8] });
        var table = new CommentTable(tables, options);
        var store = new TableCommentStore(table);
        await table.Client.CreateIfNotExistsAsync();
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        StoredComment Make(int daysAgo) => StoredComment.From(new CommentSubmission
        {
            Id = CommentId.New(now.AddDays(-daysAgo)), Thread = "/retention/", Author = "Ann", Email = "ann@example.com", Body = $"{daysAgo} days ago",
            CreatedAt = now.AddDays(-daysAgo), Ip = "198.51.100.7", UserAgent = "Browser/1", Referrer = "https://blog.example.com/",
        }, CommentStatus.Published, ["passed every check"]);
        var old = Make(31);
        var recent = Make(29);
        foreach (var comment in new[] { old, recent })
        {
            // As the processor stores and then lists a comment.
            await store.AddOnceAsync(comment, default);
            await store.ReindexAsync(comment, default, isNew: true);
        }

        var janitor = new PrivacyJanitor(store, new TableAcceptGuards(table), new FakeTimeProvider(now), Options.Create(new PrivacyOptions { RetentionDays = 30 }), NullLogger<PrivacyJanitor>.Instance);
        Assert.Equal(1, await janitor.RunAsync(default));
        Assert.Equal(0, await janitor.RunAsync(default)); // nothing left to erase

        var oldNow = await store.FindAsync(old.Id, default);
        var recentNow = await store.FindAsync(recent.Id, default);
        Assert.Null(oldNow!.Ip);
        Assert.Null(oldNow.UserAgent);
        Assert.Null(oldNow.Referrer);
        // The owner's list keeps a copy of each comment: erased there too.
        var listed = (await store.ListAsync(CommentStatus.Published, null, null, 10, default)).Comments.Single(c => c.Id == old.Id);
        Assert.Null(listed.Ip);
        Assert.Null(listed.UserAgent);
        Assert.Equal("31 days ago", oldNow.Body);
        Assert.Equal("198.51.100.7", recentNow!.Ip);
        Assert.Equal("Browser/1", recentNow.UserAgent);
    }
}
