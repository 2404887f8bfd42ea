using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>
/// A reader's edit and delete over HTTP, on the self-host with real Azurite and public views: an
/// edit goes through the queue and is published marked edited, or hidden when it turns spam; a
/// forged token or a closed window changes nothing; a delete leaves "comment deleted" only when the
/// comment has replies, and its words are gone from the table, the views and the export.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ReaderEditTests(AzuriteFixture azurite)
{
    private const string Thread = "/edits/post/";

    private static object Comment(string body, string author, string email, string? parentId = null) =>
        new { thread = Thread, body, author, email, parentId, pageUrl = "https://blog.example.com" + Thread };

    private static async Task<(string Id, string Token, DateTimeOffset Until)> PostAsync(SelfHost host, object comment)
    {
        var response = await host.PostAsync(comment);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        var json = JsonDocument.Parse(text).RootElement;
        return (json.GetProperty("id").GetString()!, json.GetProperty("editToken").GetString()!, json.GetProperty("editUntil").GetDateTimeOffset());
    }

    private static Task<HttpResponseMessage> SendAsync(SelfHost host, HttpMethod method, string id, string token, string? body = null)
    {
        var request = new HttpRequestMessage(method, "api/comments/" + id);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
            request.Content = JsonContent.Create(new { body });
        return host.Http.SendAsync(request);
    }

    private static async Task<JsonElement?> ShownAsync(SelfHost host, string id)
    {
        static JsonElement? Find(JsonElement list, string id)
        {
            foreach (var c in list.EnumerateArray())
            {
                if (c.GetProperty("id").GetString() == id)
                    return c;
                if (Find(c.GetProperty("replies"), id) is { } found)
                    return found;
            }
            return null;
        }
        return Find((await host.GetThreadAsync(Thread)).GetProperty("comments"), id);
    }

    [Fact]
    public async Task Edits_are_judged_again_and_deletes_leave_a_placeholder_only_for_replies_and_no_words_anywhere()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "serverlesscomments-edits-" + Guid.NewGuid().ToString("N")[..8]);
        await using var host = await PublicViewsTests.StartAsync(azurite.ConnectionString, azurite.Azurite.BlobPort, outbox,
            ("Spam__BlockWords", "casino"), ("Moderation__Mode", "none"), ("Spam__FloodSeconds", "0"));

        var parent = await PostAsync(host, Comment("Original words of Alma.", "Alma Editing", "alma.edits@example.net"));
        var turned = await PostAsync(host, Comment("A fair point by Bruno.", "Bruno Turning", "bruno.edits@example.net"));
        var alone = await PostAsync(host, Comment("Lonely words of Dora.", "Dora Alone", "dora.edits@example.net"));
        await host.StoredAsync(parent.Id);
        await host.StoredAsync(turned.Id);
        await host.StoredAsync(alone.Id);
        Assert.True(parent.Until > DateTimeOffset.UtcNow.AddMinutes(14));

        // A forged token, or another comment's, is refused and changes nothing.
        var forged = await SendAsync(host, HttpMethod.Put, parent.Id, new string('A', 43), "Forged words");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("Authorization", await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(host, HttpMethod.Delete, parent.Id, turned.Token)).StatusCode);

        // Within the window: queued (202), then published marked edited.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, HttpMethod.Put, parent.Id, parent.Token, "Edited words of Alma.")).StatusCode);
        await Eventually.HoldsAsync(async () => await ShownAsync(host, parent.Id) is { } c &&
            c.GetProperty("body").GetString() == "Edited words of Alma." && c.TryGetProperty("editedAt", out _), "the edit to be published");
        var history = (await host.StoredAsync(parent.Id)).GetProperty("history");
        Assert.Equal("Original words of Alma.", history[0].GetProperty("body").GetString());

        // An edit that is spam now: hidden, kept for the owner with its earlier text.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, HttpMethod.Put, turned.Id, turned.Token, "Win at the casino today")).StatusCode);
        await Eventually.HoldsAsync(async () => await ShownAsync(host, turned.Id) is null, "the spam edit to be hidden");
        var spam = await host.StoredAsync(turned.Id);
        Assert.Equal("spam", spam.GetProperty("status").GetString());
        Assert.Equal("A fair point by Bruno.", spam.GetProperty("history")[0].GetProperty("body").GetString());

        // A reply, then the parent deleted: "comment deleted" in its place, the reply under it.
        var reply = await host.PostAcceptedAsync(Comment("A reply by Carl.", "Carl Replying", "carl.edits@example.net", parent.Id));
        await Eventually.HoldsAsync(async () => await ShownAsync(host, reply) is not null, "the reply to be published");
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(host, HttpMethod.Delete, parent.Id, parent.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(host, HttpMethod.Delete, parent.Id, parent.Token)).StatusCode);
        var placeholder = (await ShownAsync(host, parent.Id))!.Value;
        Assert.True(placeholder.GetProperty("deleted").GetBoolean());
        Assert.Equal("", placeholder.GetProperty("author").GetString());
        Assert.Equal("", placeholder.GetProperty("body").GetString());
        Assert.Equal("A reply by Carl.", placeholder.GetProperty("replies")[0].GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.Gone, (await SendAsync(host, HttpMethod.Put, parent.Id, parent.Token, "Back again")).StatusCode);

        // Without replies: gone.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(host, HttpMethod.Delete, alone.Id, alone.Token)).StatusCode);
        Assert.Null(await ShownAsync(host, alone.Id));
        await host.DrainedAsync();

        // Erased means erased: not in any row of the table, any view blob, or the export.
        string[] gone = ["Original words of Alma", "Edited words of Alma", "Alma Editing", "alma.edits", "Lonely words of Dora", "Dora Alone", "dora.edits"];
        var rows = new StringBuilder();
        await foreach (var row in host.Table.QueryAsync<TableEntity>())
            rows.AppendLine(string.Join("\n", row.Select(p => p.Value?.ToString())));
        var blobs = new StringBuilder();
        var container = new BlobContainerClient(azurite.ConnectionString, host.ThreadContainer);
        await foreach (var blob in container.GetBlobsAsync())
            if (!blob.Name.StartsWith("widget/", StringComparison.Ordinal))
                blobs.AppendLine(Encoding.UTF8.GetString((await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray()));
        var export = await (await host.AdminAsync(HttpMethod.Get, "export")).Content.ReadAsStringAsync();
        Assert.Contains("A reply by Carl.", blobs.ToString());
        Assert.Contains("A reply by Carl.", rows.ToString());
        Assert.Contains("A reply by Carl.", export);
        foreach (var words in gone)
        {
            Assert.DoesNotContain(words, rows.ToString());
            Assert.DoesNotContain(words, blobs.ToString());
            Assert.DoesNotContain(words, export);
        }
    }

    [Fact]
    public async Task After_the_window_an_edit_and_a_delete_are_refused_and_nothing_changes()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Comments__EditWindowMinutes"] = "0.05", // 3 seconds
            ["Moderation__Mode"] = "none",
            ["Notifications__LinkSecret"] = "reader-edit-tests-link-secret-of-enough-length",
            ["Admin__ApiKey"] = Api.AdminKey,
        });
        var posted = await PostAsync(host, Comment("Words that stay.", "Eve Late", "eve.late@example.net"));
        await host.StoredAsync(posted.Id);
        var wait = posted.Until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);

        var edit = await SendAsync(host, HttpMethod.Put, posted.Id, posted.Token, "Words too late");
        Assert.Equal(HttpStatusCode.Gone, edit.StatusCode);
        Assert.Contains("window", await edit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, (await SendAsync(host, HttpMethod.Delete, posted.Id, posted.Token)).StatusCode);
        await host.DrainedAsync();
        var stored = await host.StoredAsync(posted.Id);
        Assert.Equal("Words that stay.", stored.GetProperty("body").GetString());
        Assert.Equal(0, stored.GetProperty("history").GetArrayLength());
        Assert.Equal("Words that stay.", (await ShownAsync(host, posted.Id))!.Value.GetProperty("body").GetString());
    }
}
