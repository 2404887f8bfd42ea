using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ServerlessComments.Faces;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Feeds;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>Avatars and feeds through the self-host over real Azurite: what a reader's browser and a feed reader get.</summary>
[Collection(StorageCollection.Name)]
public sealed class FacesAndFeedsTests(AzuriteFixture azurite)
{
    private const string Secret = "faces-and-feeds-tests-link-secret-0123456789";

    private Task<SelfHost> StartAsync(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Notifications__LinkSecret"] = Secret,
            ["Notifications__BlogUrl"] = "https://blog.example.com/",
            ["Spam__FloodSeconds"] = "0",
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, settings);
    }

    private static async Task<string> AvatarOfAsync(SelfHost host, string thread, string id)
    {
        await host.StoredAsync(id);
        await Eventually.HoldsAsync(async () => (await host.GetThreadAsync(thread)).GetRawText().Contains(id, StringComparison.Ordinal), "the comment in the view");
        var json = (await host.GetThreadAsync(thread)).GetRawText();
        Assert.DoesNotContain("@example.com", json, StringComparison.OrdinalIgnoreCase);
        var comment = FindIn((await host.GetThreadAsync(thread)).GetProperty("comments"), id);
        Assert.True(comment.TryGetProperty("avatar", out var avatar), json);
        return avatar.GetString()!;
    }

    private static System.Text.Json.JsonElement FindIn(System.Text.Json.JsonElement comments, string id)
    {
        foreach (var c in comments.EnumerateArray())
        {
            if (c.GetProperty("id").GetString() == id)
                return c;
            if (c.TryGetProperty("replies", out var replies) && FindIn(replies, id) is { ValueKind: System.Text.Json.JsonValueKind.Object } found)
                return found;
        }
        return default;
    }

    [Fact]
    public async Task A_comment_shows_an_identicon_served_with_a_long_cache_an_etag_nosniff_and_a_strict_policy()
    {
        await using var host = await StartAsync();
        const string thread = "/faces/identicon/";
        var id = await host.PostAcceptedAsync(Api.Comment(thread, "Hello", email: "Ann@Example.com"));
        var avatar = await AvatarOfAsync(host, thread, id);
        Assert.Matches("^[0-9a-f]{16}$", avatar);

        var response = await host.Http.GetAsync($"api/avatars/{avatar}.svg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        var svg = await response.Content.ReadAsStringAsync();
        Assert.Equal(Identicon.Svg(avatar), svg);

        using var again = new HttpRequestMessage(HttpMethod.Get, $"api/avatars/{avatar}.svg");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Http.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("api/avatars/ann.svg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("api/avatars/0123456789ABCDEF.svg")).StatusCode);
    }

    [Fact]
    public async Task With_gravatar_on_the_backend_fetches_it_and_after_an_erasure_serves_it_no_more()
    {
        await using var gravatar = await FakeGravatar.StartAsync();
        gravatar.Pictures[Avatars.GravatarHash("gina@example.com")] = FakeGravatar.Png;
        await using var host = await StartAsync(("Avatars__Gravatar", "true"), ("Avatars__GravatarBaseUrl", gravatar.BaseUrl.AbsoluteUri));
        const string thread = "/faces/gravatar/";
        var gina = await AvatarOfAsync(host, thread, await host.PostAcceptedAsync(Api.Comment(thread, "With a gravatar", author: "Gina", email: " Gina@Example.com ")));
        var noPicture = await AvatarOfAsync(host, thread, await host.PostAcceptedAsync(Api.Comment(thread, "Without", author: "Nat", email: "nat@example.com")));

        var response = await host.Http.GetAsync($"api/avatars/{gina}.svg");
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(FakeGravatar.Png, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("immutable", response.Headers.CacheControl!.ToString());
        Assert.Contains(gravatar.Requests, r => r.Contains(Avatars.GravatarHash("gina@example.com")) && r.Contains("d=404"));

        var fallback = await host.Http.GetAsync($"api/avatars/{noPicture}.svg");
        Assert.Equal("image/svg+xml", fallback.Content.Headers.ContentType!.MediaType);

        using var erase = new HttpRequestMessage(HttpMethod.Post, "api/admin/personal-data/erase")
        {
            Content = JsonContent.Create(new { email = "gina@example.com", mode = "anonymise", keepText = true, lang = "en" }),
        };
        erase.Headers.Authorization = new("Bearer", Api.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(erase)).StatusCode);
        var after = await host.Http.GetAsync($"api/avatars/{gina}.svg");
        Assert.Equal("image/svg+xml", after.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(gina, (await host.GetThreadAsync(thread)).GetRawText());
    }

    [Fact]
    public async Task Turned_off_avatars_are_not_in_the_view_and_not_served()
    {
        await using var host = await StartAsync(("Avatars__On", "false"));
        const string thread = "/faces/off/";
        var id = await host.PostAcceptedAsync(Api.Comment(thread, "No face"));
        await host.StoredAsync(id);
        await Eventually.HoldsAsync(async () => await host.CountAsync(thread) == 1, "the comment published");
        Assert.DoesNotContain("avatar", (await host.GetThreadAsync(thread)).GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("api/avatars/0123456789abcdef.svg")).StatusCode);
    }

    [Fact]
    public async Task The_feeds_are_atom_with_an_etag_read_by_both_parsers_and_cheap_to_serve()
    {
        await using var host = await StartAsync();
        const string thread = "/feeds/integration/";
        var first = await host.PostAcceptedAsync(Api.Comment(thread, "First ]]> words 😀", author: "Ann"));
        await host.StoredAsync(first);
        var second = await host.PostAcceptedAsync(Api.Comment(thread, "Second", author: "Bob", email: "bob@example.com", website: "https://bob.example.org/", parentId: first));
        await host.StoredAsync(second);
        await Eventually.HoldsAsync(async () => await host.CountAsync(thread) == 2, "both comments published");

        var response = await host.Http.GetAsync("api/feeds/thread.atom?thread=" + Uri.EscapeDataString(thread));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString());
        var xml = await response.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain("@example.com", Encoding.UTF8.GetString(xml));
        var feed = FeedParsers.Dotnet(xml);
        Assert.Equal([second, first], feed.Items.Select(i => i.Id.Split(':')[^1]));
        Assert.Equal("https://bob.example.org/", feed.Items.First().Authors.Single().Uri);
        Assert.Equal(2, (await FeedParsers.NodeAsync(xml)).GetProperty("items").GetArrayLength());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "api/feeds/thread.atom?thread=" + Uri.EscapeDataString(thread));
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Http.SendAsync(conditional)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync("api/feeds/thread.atom")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.GetAsync("api/feeds/comments.atom?lang=xx")).StatusCode);

        // The site's feed: every thread's recent comments (this host's table holds only this test's).
        var site = await host.Http.GetAsync("api/feeds/comments.atom");
        Assert.Equal(HttpStatusCode.OK, site.StatusCode);
        var siteFeed = FeedParsers.Dotnet(await site.Content.ReadAsByteArrayAsync());
        Assert.Equal([second, first], siteFeed.Items.Select(i => i.Id.Split(':')[^1]));
        Assert.Equal("https://blog.example.com/feeds/integration/#comment-" + first, siteFeed.Items.Last().Links.Single().Uri.AbsoluteUri);
        using var siteAgain = new HttpRequestMessage(HttpMethod.Get, "api/feeds/comments.atom");
        siteAgain.Headers.IfNoneMatch.Add(site.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Http.SendAsync(siteAgain)).StatusCode);

        // What a feed costs, measured (no bound asserted: a shared machine's timings vary).
        foreach (var path in new[] { "api/feeds/thread.atom?thread=" + Uri.EscapeDataString(thread), "api/feeds/comments.atom" })
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
                (await host.Http.GetAsync(path)).EnsureSuccessStatusCode();
            TestContext.Current.TestOutputHelper?.WriteLine($"{path}: {clock.Elapsed.TotalMilliseconds / 20:F1} ms a request (20 requests)");
        }
    }
}
