using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The thread read model over the real self-host and Azurite: comments stored by
/// version 1 get their views without the owner doing anything, any depth answers, pages and
/// HTTP caching work as documented.</summary>
[Collection(StorageCollection.Name)]
public sealed class ReadModelTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A comment row exactly as version 1 wrote it (no Id column, no index copies, no view).</summary>
    private static TableEntity Version1Row(string thread, int minute, string? parentId = null, string status = "published") => new(ThreadKey.For(thread), CommentId.New(T0.AddMinutes(minute)))
    {
        ["Thread"] = thread, ["ParentId"] = parentId, ["Author"] = "Author " + minute, ["Email"] = $"a{minute}@example.com",
        ["Body"] = "Texte n° " + minute, ["CreatedAt"] = T0.AddMinutes(minute), ["Status"] = status, ["Reasons"] = "passed every check",
        ["NotifyOnReply"] = false, ["ClientDataErased"] = false,
    };

    private async Task<TableClient> TableWithAsync(string name, IEnumerable<TableEntity> rows)
    {
        var table = new TableClient(azurite.ConnectionString, name);
        await table.CreateIfNotExistsAsync();
        foreach (var batch in rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(100)))
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        return table;
    }

    [Fact]
    public async Task Comments_stored_by_version_1_are_readable_and_listed_after_start_up_without_any_command()
    {
        var name = "v1" + Guid.NewGuid().ToString("N")[..10];
        var root = Version1Row("/v1/", 1);
        await TableWithAsync(name, [root, Version1Row("/v1/", 2, root.RowKey), Version1Row("/v1/", 3, status: "pending"), Version1Row("/other/", 4)]);
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Storage__CommentTable"] = name, ["Admin__ApiKey"] = Api.AdminKey,
        });

        await Eventually.HoldsAsync(async () => await host.CountAsync("/v1/") == 2, "the version 1 thread's view to be built");
        var thread = await host.GetThreadAsync("/v1/");
        Assert.Equal("Texte n° 2", thread.GetProperty("comments")[0].GetProperty("replies")[0].GetProperty("body").GetString());
        Assert.Equal(1, await host.CountAsync("/other/"));
        var held = await host.AdminListAsync("pending");
        Assert.Equal("Texte n° 3", Assert.Single(held.GetProperty("comments").EnumerateArray()).GetProperty("body").GetString());

        // The command does the same, and is idempotent.
        var (exit, output) = await host.RunCommandAsync("rebuild-views");
        Assert.True(exit == 0, output);
        Assert.Contains("Rebuilt the views of 2 thread(s) from 4 comment(s).", output);
        Assert.Equal(2, await host.CountAsync("/v1/"));
    }

    [Fact]
    public async Task A_reply_chain_a_thousand_deep_answers_nested_to_the_maximum_and_nothing_fails()
    {
        var name = "deep" + Guid.NewGuid().ToString("N")[..10];
        var rows = new List<TableEntity>();
        for (var i = 0; i < 1000; i++)
            rows.Add(Version1Row("/deep/", i, i == 0 ? null : rows[i - 1].RowKey));
        await TableWithAsync(name, rows);
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string> { ["Storage__CommentTable"] = name });

        await Eventually.HoldsAsync(async () => await host.CountAsync("/deep/") == 1000, "the deep thread's view to be built", TimeSpan.FromSeconds(60));
        var thread = await host.GetThreadAsync("/deep/");
        var level = thread.GetProperty("comments")[0];
        for (var depth = 1; depth < 4; depth++)
            level = Assert.Single(level.GetProperty("replies").EnumerateArray());
        var deepest = level.GetProperty("replies");
        Assert.Equal(996, deepest.GetArrayLength());
        Assert.Equal("Author 998", deepest[deepest.GetArrayLength() - 1].GetProperty("inReplyTo").GetString());
        Assert.Equal(rows[998].RowKey, deepest[deepest.GetArrayLength() - 1].GetProperty("parentId").GetString());

        // A reader replying at the bottom is accepted and shown there too.
        var id = await host.PostAcceptedAsync(Api.Comment("/deep/", "La mille et unième", parentId: rows[999].RowKey));
        await Eventually.HoldsAsync(async () => await host.CountAsync("/deep/") == 1001, "the reply to show");
    }

    [Fact]
    public async Task Pages_come_with_a_cursor_an_etag_and_a_public_cache_that_browsers_revalidate()
    {
        var name = "pages" + Guid.NewGuid().ToString("N")[..10];
        await TableWithAsync(name, Enumerable.Range(0, 120).Select(i => Version1Row("/pages/", i)));
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string> { ["Storage__CommentTable"] = name });
        await Eventually.HoldsAsync(async () => await host.CountAsync("/pages/") == 120, "the view to be built");

        var bodies = new List<string>();
        string? after = null;
        do
        {
            var answer = await host.Http.GetAsync("api/comments?thread=%2Fpages%2F&order=newest" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("public, max-age=0, s-maxage=5", answer.Headers.CacheControl?.ToString());
            Assert.NotNull(answer.Headers.ETag);
            var page = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            bodies.AddRange(page.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("body").GetString()!));
            after = page.GetProperty("next").GetString();
        }
        while (after is not null);
        Assert.Equal(Enumerable.Range(0, 120).Reverse().Select(i => "Texte n° " + i), bodies);

        var first = await host.Http.GetAsync("api/comments?thread=%2Fpages%2F");
        var revalidate = new HttpRequestMessage(HttpMethod.Get, "api/comments?thread=%2Fpages%2F");
        revalidate.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var notModified = await host.Http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // A new comment changes the answer: the old ETag no longer matches, within a second of processing.
        await host.PostAcceptedAsync(Api.Comment("/pages/", "Nouveau"));
        await Eventually.HoldsAsync(async () =>
        {
            var again = new HttpRequestMessage(HttpMethod.Get, "api/comments?thread=%2Fpages%2F&order=newest");
            again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            return (await host.Http.SendAsync(again)).StatusCode == HttpStatusCode.OK;
        }, "the view to change");

        // A cursor of the newest-first pages is not one for the oldest-first pages.
        var newestNext = JsonDocument.Parse(await host.Http.GetStringAsync("api/comments?thread=%2Fpages%2F&order=newest")).RootElement.GetProperty("next").GetString()!;
        foreach (var bad in new[] { "order=sideways", "after=garbage", "order=oldest&after=" + Uri.EscapeDataString(newestNext) })
        {
            var answer = await host.Http.GetAsync("api/comments?thread=%2Fpages%2F&" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        }
    }
}
