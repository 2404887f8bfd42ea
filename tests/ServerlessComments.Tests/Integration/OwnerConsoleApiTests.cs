using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The console's server side over real HTTP and Azurite: signing in (key, emailed link),
/// the session cookie's guards (origin, anti-forgery token, sign-out), and the admin routes the
/// console adds (reply as the author, edit, bulk, search, the owner's lists).</summary>
[Collection(StorageCollection.Name)]
public sealed partial class OwnerConsoleApiTests(AzuriteFixture azurite)
{
    private const string Owner = "owner@blog.example.com";

    private Task<SelfHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Notifications__OwnerEmail"] = Owner,
            ["Notifications__FromName"] = "Manon",
            ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, all);
    }

    /// <summary>A browser: its own cookies, no redirects followed, and this site's Origin on what it sends.</summary>
    private sealed class Browser : IDisposable
    {
        public readonly CookieContainer Cookies = new();
        public readonly HttpClient Http;
        public string? Csrf;
        private readonly Uri _base;

        public Browser(SelfHost host, string? origin = null)
        {
            _base = host.BaseAddress;
            Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
            Http.DefaultRequestHeaders.Add("Origin", origin ?? host.BaseAddress.GetLeftPart(UriPartial.Authority));
        }

        public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, bool csrf = true)
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null)
                request.Content = JsonContent.Create(body);
            if (csrf && Csrf is not null)
                request.Headers.Add("X-CSRF-Token", Csrf);
            return Http.SendAsync(request);
        }

        public async Task SignInWithKeyAsync(string key = Api.AdminKey)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "api/admin/session/key", new { key })).StatusCode);
            var session = await Http.GetFromJsonAsync<JsonElement>("api/admin/session");
            Csrf = session.GetProperty("csrf").GetString();
        }

        public string? SessionCookie => Cookies.GetCookies(new Uri(_base, "api/")).FirstOrDefault(c => c.Name == "sc_owner")?.Value;

        public void Dispose() => Http.Dispose();
    }

    private static IReadOnlyList<JsonElement> Outbox(SelfHost host) => Directory.Exists(host.OutboxPath)
        ? Directory.GetFiles(host.OutboxPath, "*.json").Order().Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone()).ToList()
        : [];

    [Fact]
    public async Task The_key_signs_in_and_a_cookie_alone_cannot_act_without_this_origin_and_the_anti_forgery_token()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"), ("Admin__KeyFailuresPerClient", "1"));
        var held = await host.PostAcceptedAsync(Api.Comment("/console/", "Held for the owner"));
        await host.StoredAsync(held);

        using var browser = new Browser(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("api/admin/session")).StatusCode);
        var wrong = await browser.SendAsync(HttpMethod.Post, "api/admin/session/key", new { key = "not-the-key" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Null(browser.SessionCookie);
        // Failed attempts are rate-limited: past the one free failure, the next attempt at once is told to wait.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(HttpMethod.Post, "api/admin/session/key", new { key = "still-not" })).StatusCode);
        var again = await browser.SendAsync(HttpMethod.Post, "api/admin/session/key", new { key = "nor-this" });
        Assert.Equal((HttpStatusCode)429, again.StatusCode);

        await Task.Delay(1100);
        await browser.SignInWithKeyAsync();
        Assert.NotNull(browser.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("api/admin/comments?status=pending")).StatusCode);

        // Without the token, or from another origin with it: refused, and nothing changed.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(HttpMethod.Post, $"api/admin/comments/{held}/approve", csrf: false)).StatusCode);
        using (var elsewhere = new Browser(host, "https://evil.example.net"))
        {
            elsewhere.Cookies.Add(new Uri(host.BaseAddress, "api/"), new Cookie("sc_owner", browser.SessionCookie, "/api"));
            elsewhere.Csrf = browser.Csrf;
            Assert.Equal(HttpStatusCode.Forbidden, (await elsewhere.SendAsync(HttpMethod.Post, $"api/admin/comments/{held}/approve")).StatusCode);
            // Nor read: a sibling subdomain's script would send a SameSite cookie.
            Assert.Equal(HttpStatusCode.Forbidden, (await elsewhere.Http.GetAsync("api/admin/comments?status=pending")).StatusCode);
        }
        Assert.Equal("pending", (await host.StoredAsync(held)).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(HttpMethod.Post, $"api/admin/comments/{held}/approve")).StatusCode);
        Assert.Equal("published", (await host.StoredAsync(held)).GetProperty("status").GetString());

        // Signing out ends the session itself: a copy of the cookie no longer works.
        var copy = browser.SessionCookie!;
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(HttpMethod.Post, "api/admin/session/signout")).StatusCode);
        using var replay = new Browser(host);
        replay.Cookies.Add(new Uri(host.BaseAddress, "api/"), new Cookie("sc_owner", copy, "/api"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.Http.GetAsync("api/admin/session")).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_link_goes_only_to_the_owner_works_once_and_the_answer_is_the_same_for_anyone()
    {
        await using var host = await StartAsync(("Admin__LinkRequestSeconds", "1"));
        using var browser = new Browser(host);
        var stranger = await browser.SendAsync(HttpMethod.Post, "api/admin/session/link", new { email = "someone@example.com" });
        Assert.Equal(HttpStatusCode.Accepted, stranger.StatusCode);
        var strangerBody = await stranger.Content.ReadAsStringAsync();
        using var owner = new Browser(host);
        // The same client address asks again at once: told to wait; after its window, served.
        Assert.Equal((HttpStatusCode)429, (await owner.SendAsync(HttpMethod.Post, "api/admin/session/link", new { email = Owner })).StatusCode);
        await host.DrainedAsync();
        await Task.Delay(1200);
        Assert.Empty(Outbox(host));
        var asked = await owner.SendAsync(HttpMethod.Post, "api/admin/session/link", new { email = "OWNER@blog.example.com" });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.Equal(strangerBody, await asked.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(() => Task.FromResult(Outbox(host).Count == 1), "the sign-in email");
        var email = Outbox(host).Single();
        Assert.Equal(Owner, email.GetProperty("to").GetString());
        var link = new Uri(LinkPattern().Matches(email.GetProperty("text").GetString()!).Select(m => m.Value).Single(l => l.Contains("/api/admin/session/signin?"))).PathAndQuery.TrimStart('/');

        // The page signs nobody in; an altered link is refused.
        var page = await owner.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Null(owner.SessionCookie);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.SendAsync(HttpMethod.Post, link.Replace("sig=", "sig=x"))).StatusCode);

        var used = await owner.SendAsync(HttpMethod.Post, link);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal("/api/console", used.Headers.Location!.OriginalString);
        Assert.NotNull(owner.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("api/admin/session")).StatusCode);

        // Used once: a second browser with the same link gets nothing.
        using var thief = new Browser(host);
        Assert.Equal(HttpStatusCode.Gone, (await thief.SendAsync(HttpMethod.Post, link)).StatusCode);
        Assert.Null(thief.SessionCookie);
    }

    [Fact]
    public async Task The_owner_replies_as_the_author_edits_acts_on_several_searches_and_grows_the_lists()
    {
        await using var host = await StartAsync(("Moderation__Mode", "none"));
        const string thread = "/console-owner/";
        var question = await host.PostAcceptedAsync(Api.Comment(thread, "Une question sur les réseaux", author: "Lea", email: "lea@example.com"));
        var spam = new List<string>();
        for (var i = 0; i < 3; i++)
            spam.Add(await host.PostAcceptedAsync(Api.Comment(thread, "Achetez " + i, author: "Bot" + i, email: $"bot{i}@example.com")));
        foreach (var id in spam.Append(question))
            await host.StoredAsync(id);
        using var browser = new Browser(host);
        await browser.SignInWithKeyAsync();

        var reply = await browser.SendAsync(HttpMethod.Post, $"api/admin/comments/{question}/reply", new { body = "Merci Lea !" });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var replyId = (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("comment").GetProperty("id").GetString()!;
        var edit = await browser.SendAsync(HttpMethod.Patch, $"api/admin/comments/{question}", new { body = "Une question sur les réseaux sociaux" });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);

        var public_ = await host.GetThreadAsync(thread);
        var lea = public_.GetProperty("comments").EnumerateArray().Single(c => c.GetProperty("id").GetString() == question);
        Assert.Equal("Une question sur les réseaux sociaux", lea.GetProperty("body").GetString());
        Assert.True(lea.TryGetProperty("editedAt", out _));
        var answer = Assert.Single(lea.GetProperty("replies").EnumerateArray());
        Assert.Equal(replyId, answer.GetProperty("id").GetString());
        Assert.True(answer.GetProperty("byOwner").GetBoolean());
        Assert.Equal("Manon", answer.GetProperty("author").GetString());
        Assert.False(public_.GetRawText().Contains("@example.com") || public_.GetRawText().Contains(Owner), "no address in the public thread");

        var bulk = await browser.SendAsync(HttpMethod.Post, "api/admin/comments/bulk", new { action = "spam", ids = spam.Append(new string('0', 32)).ToArray() });
        var outcome = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, outcome.GetProperty("done").GetArrayLength());
        Assert.Equal(1, outcome.GetProperty("missing").GetArrayLength());
        Assert.Equal(2, await host.CountAsync(thread));
        var stats = await browser.Http.GetFromJsonAsync<JsonElement>("api/admin/stats");
        Assert.Equal(3, stats.GetProperty("spam").GetInt32());

        // Search: a word of the text, and an address; across every status.
        var byWord = await browser.Http.GetFromJsonAsync<JsonElement>("api/admin/comments?status=all&q=sociaux");
        Assert.Equal([question], byWord.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var byEmail = await browser.Http.GetFromJsonAsync<JsonElement>("api/admin/comments?status=all&q=BOT1@example.com");
        Assert.Equal([spam[1]], byEmail.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var detail = await browser.Http.GetFromJsonAsync<JsonElement>($"api/admin/comments/{replyId}");
        Assert.Equal(question, detail.GetProperty("parent").GetProperty("id").GetString());

        // The owner's lists: a hold word and a blocked domain apply to the next comments at once.
        var badLists = await browser.SendAsync(HttpMethod.Put, "api/admin/lists", new { blockIps = new[] { "not an ip" } });
        Assert.Equal(HttpStatusCode.BadRequest, badLists.StatusCode);
        Assert.Contains("blockIps", await badLists.Content.ReadAsStringAsync());
        var saved = await browser.SendAsync(HttpMethod.Put, "api/admin/lists", new { holdWords = new[] { "  crypto " }, blockDomains = new[] { "spam.example" } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var heldNext = await host.PostAcceptedAsync(Api.Comment(thread, "Parlons Crypto", author: "Max", email: "max@example.com"));
        var blockedNext = await host.PostAcceptedAsync(Api.Comment(thread, "Bonjour", author: "Eve", email: "eve@mail.spam.example"));
        Assert.Equal("pending", (await host.StoredAsync(heldNext)).GetProperty("status").GetString());
        Assert.Equal("spam", (await host.StoredAsync(blockedNext)).GetProperty("status").GetString());

        var emptied = await browser.SendAsync(HttpMethod.Post, "api/admin/spam/empty");
        Assert.Equal(4, (await emptied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetInt32());
        // Scripts are owners too: the bearer key reaches the same routes.
        Assert.Equal(HttpStatusCode.OK, (await host.AdminAsync(HttpMethod.Get, "lists")).StatusCode);
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
