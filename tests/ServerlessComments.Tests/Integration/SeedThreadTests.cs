using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The reference page's thread, posted over HTTP, through the queue and the processor,
/// into the table, and read back exactly.</summary>
[Collection(StorageCollection.Name)]
public sealed class SeedThreadTests(AzuriteFixture azurite) : SelfHostTest(azurite)
{

    [Fact]
    public async Task The_reference_thread_comes_back_nested_and_byte_identical()
    {
        var seed = SeedThread.Load();
        var thread = seed.Page.Thread;
        var ids = new Dictionary<string, string>();

        // Parents first; a reply only once its parent is stored, as a reader would see it.
        foreach (var comment in seed.Comments.OrderBy(c => c.ParentKey is null ? 0 : 1))
        {
            if (comment.ParentKey is not null)
            {
                var parentId = ids[comment.ParentKey];
                await Eventually.HoldsAsync(async () => Contains(await Host.GetThreadAsync(thread), parentId), $"comment {comment.ParentKey} to be published");
            }
            var response = await Host.Http.PostAsJsonAsync("api/comments", new
            {
                thread,
                pageUrl = seed.Page.Url,
                pageTitle = seed.Page.Title,
                parentId = comment.ParentKey is null ? null : ids[comment.ParentKey],
                author = comment.Author,
                email = comment.Email,
                website = comment.Website,
                body = comment.Body,
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("pending", accepted.GetProperty("status").GetString());
            Assert.Equal(thread, accepted.GetProperty("thread").GetString());
            ids[comment.Key] = accepted.GetProperty("id").GetString()!;
        }

        await Eventually.HoldsAsync(async () => (await Host.GetThreadAsync(thread)).GetProperty("count").GetInt32() == seed.Comments.Count, "all 8 comments to be published");
        var view = await Host.GetThreadAsync(thread);
        var raw = await Host.Http.GetStringAsync("api/comments?thread=" + Uri.EscapeDataString(thread));

        Assert.Equal(thread, view.GetProperty("thread").GetString());
        Assert.Equal(8, view.GetProperty("count").GetInt32());
        var topLevel = view.GetProperty("comments").EnumerateArray().ToList();
        var expectedTop = seed.Comments.Where(c => c.ParentKey is null).ToList();
        Assert.Equal(expectedTop.Select(c => c.Author), topLevel.Select(c => c.GetProperty("author").GetString()));

        foreach (var (expected, actual) in expectedTop.Zip(topLevel))
        {
            AssertSame(expected, actual, ids, parentId: null);
            var reply = Assert.Single(actual.GetProperty("replies").EnumerateArray());
            var expectedReply = seed.Comments.Single(c => c.ParentKey == expected.Key);
            AssertSame(expectedReply, reply, ids, parentId: ids[expected.Key]);
            Assert.Empty(reply.GetProperty("replies").EnumerateArray());
        }

        // Nothing private in a public answer.
        foreach (var comment in seed.Comments)
            Assert.DoesNotContain(comment.Email, raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("email", raw, StringComparison.OrdinalIgnoreCase);

        var counts = await Host.Http.GetFromJsonAsync<JsonElement>($"api/comments/count?thread={Uri.EscapeDataString(thread)}&thread=%2Fno-such-post%2F");
        Assert.Equal(8, counts.GetProperty("counts").GetProperty(thread).GetInt32());
        Assert.Equal(0, counts.GetProperty("counts").GetProperty("/no-such-post/").GetInt32());
    }

    private static void AssertSame(SeedThread.SeedComment expected, JsonElement actual, Dictionary<string, string> ids, string? parentId)
    {
        Assert.Equal(ids[expected.Key], actual.GetProperty("id").GetString());
        Assert.Equal(parentId, actual.GetProperty("parentId").GetString());
        Assert.Equal(expected.Author, actual.GetProperty("author").GetString());
        Assert.Equal(expected.Website, actual.GetProperty("website").GetString());
        // Ordinal equality: every typographic quote, emoji and line break as posted.
        Assert.Equal(expected.Body, actual.GetProperty("body").GetString(), StringComparer.Ordinal);
        var createdAt = actual.GetProperty("createdAt").GetString()!;
        Assert.EndsWith("Z", createdAt);
        Assert.True(DateTimeOffset.TryParse(createdAt, out _));
    }

    private static bool Contains(JsonElement view, string id) =>
        Flatten(view.GetProperty("comments")).Any(c => c.GetProperty("id").GetString() == id);

    private static IEnumerable<JsonElement> Flatten(JsonElement comments) =>
        comments.EnumerateArray().SelectMany(c => Flatten(c.GetProperty("replies")).Prepend(c));
}
