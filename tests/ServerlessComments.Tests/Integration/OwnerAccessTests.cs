using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Tests.Unit;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Tests.Integration;

/// <summary>Who may use what, over real HTTP and Azurite: every owner route of the table refuses
/// strangers, wrong keys wait, malformed tokens and links are refused (never a 500), the pages
/// behind links cannot be framed or run inline code, and the owner sees and ends their sessions.</summary>
[Collection(StorageCollection.Name)]
public sealed partial class OwnerAccessTests(AzuriteFixture azurite)
{
    private const string Secret = "a-link-secret-of-at-least-32-characters!";

    private Task<SelfHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Notifications__OwnerEmail"] = "owner@blog.example.com",
            ["Notifications__LinkSecret"] = Secret,
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, all);
    }

    /// <summary>A console signed in with the key: its cookie and anti-forgery token.</summary>
    private static async Task<(string Cookie, string Csrf)> SignInAsync(SelfHost host, string userAgent = "TestBrowser/1.0")
    {
        var key = new HttpRequestMessage(HttpMethod.Post, "api/admin/session/key") { Content = JsonContent.Create(new { key = Api.AdminKey }) };
        key.Headers.Add("Origin", Origin(host));
        key.Headers.UserAgent.ParseAdd(userAgent);
        var signedIn = await Http(host).SendAsync(key);
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sc_owner=", StringComparison.Ordinal)).Split(';')[0]["sc_owner=".Length..];
        var session = await Http(host).SendAsync(Request(host, HttpMethod.Get, "api/admin/session", cookie, userAgent: userAgent));
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        return (cookie, (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrf").GetString()!);
    }

    // Each request names its own cookie: a client that keeps none (host.Http would keep the last one set).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SelfHost, HttpClient> Clients = new();

    private static HttpClient Http(SelfHost host) => Clients.GetValue(host, h =>
        new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = h.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });

    private static string Origin(SelfHost host) => host.BaseAddress.GetLeftPart(UriPartial.Authority);

    private static HttpRequestMessage Request(SelfHost host, HttpMethod method, string path, string? cookie = null, string? csrf = null,
        string? origin = null, string? key = null, string? userAgent = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
            request.Content = JsonContent.Create(new { });
        if (cookie is not null)
            request.Headers.Add("Cookie", "sc_owner=" + cookie);
        if (csrf is not null)
            request.Headers.Add("X-CSRF-Token", csrf);
        request.Headers.Add("Origin", origin ?? Origin(host));
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (userAgent is not null)
            request.Headers.UserAgent.ParseAdd(userAgent);
        return request;
    }

    [Fact]
    public async Task Every_owner_route_of_the_table_refuses_no_credentials_a_wrong_key_a_cookie_from_elsewhere_and_a_cookie_without_its_token()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"), ("Admin__KeyFailuresPerClient", "100000"), ("Admin__KeyFailuresSiteWide", "100000"));
        var held = await host.PostAcceptedAsync(Api.Comment("/guarded-table/", "Held for the owner"));
        await host.StoredAsync(held);
        var (cookie, csrf) = await SignInAsync(host);

        var owned = RouteTableTests.Table().Where(r => r.Access == Access.Owner).ToList();
        Assert.True(owned.Count >= 22, "every owner route, from the table");
        var checkedRequests = 0;
        foreach (var route in owned)
        {
            var path = "api/" + route.Pattern.Replace("{id}", held);
            foreach (var method in route.Methods.Where(m => m != "HEAD").Select(m => new HttpMethod(m)))
            {
                async Task Refused(HttpStatusCode expected, string what, HttpRequestMessage request)
                {
                    var answer = await Http(host).SendAsync(request);
                    Assert.True(answer.StatusCode == expected, $"{route.Name}: {method} {path} {what}: {(int)answer.StatusCode}, expected {(int)expected}");
                    checkedRequests++;
                }
                await Refused(HttpStatusCode.Unauthorized, "without credentials", Request(host, method, path));
                await Refused(HttpStatusCode.Unauthorized, "with a wrong key", Request(host, method, path, key: Api.AdminKey[..^1] + "x"));
                await Refused(HttpStatusCode.Forbidden, "with the cookie from another origin", Request(host, method, path, cookie, csrf, origin: "https://evil.example.net"));
                if (method != HttpMethod.Get)
                    await Refused(HttpStatusCode.Forbidden, "with the cookie and no anti-forgery token", Request(host, method, path, cookie));
            }
        }
        Assert.True(checkedRequests >= 80, $"{checkedRequests} refusals checked");

        // Nothing changed: still held, the session still open (signing out everywhere was refused too).
        Assert.Equal("pending", (await host.StoredAsync(held)).GetProperty("status").GetString());
        var sessions = await Http(host).SendAsync(Request(host, HttpMethod.Get, "api/admin/sessions", cookie));
        Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
        Assert.Single((await sessions.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task Wrong_keys_are_answered_429_with_Retry_After_growing_for_the_bearer_header_and_the_console_alike()
    {
        await using var host = await StartAsync(("Admin__KeyFailuresPerClient", "2"));
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.AdminAsync(HttpMethod.Get, "stats", "wrong-" + i)).StatusCode);
        var waiting = await host.AdminAsync(HttpMethod.Get, "stats", "wrong-3");
        Assert.Equal((HttpStatusCode)429, waiting.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), waiting.Headers.RetryAfter!.Delta);
        // While waiting, the right key is refused too: the answer tells nothing about a guess.
        Assert.Equal((HttpStatusCode)429, (await host.AdminAsync(HttpMethod.Get, "stats")).StatusCode);
        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.OK, (await host.AdminAsync(HttpMethod.Get, "stats")).StatusCode);

        // The console's key sign-in counts in the same tally; the next wait is longer.
        var wrong = Request(host, HttpMethod.Post, "api/admin/session/key");
        wrong.Content = JsonContent.Create(new { key = "not-the-key" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http(host).SendAsync(wrong)).StatusCode);
        var again = Request(host, HttpMethod.Post, "api/admin/session/key");
        again.Content = JsonContent.Create(new { key = Api.AdminKey });
        var refused = await Http(host).SendAsync(again);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Malformed_sign_in_tokens_session_cookies_and_email_links_are_refused_never_500()
    {
        await using var host = await StartAsync();
        var id = await host.PostAcceptedAsync(Api.Comment("/malformed/", "A comment"));
        await host.StoredAsync(id);
        var hex = new string('0', 32);
        string[] tokens = [$"999999999999-{hex}", $"99999999999999999999-{hex}", $"-1-{hex}", $"253402300800-{hex}", "%00", "%F0%9F%92%AC", "-", "", new string('9', 400) + "-" + hex];
        string[] numbers = ["999999999999", "99999999999999999999", "-9223372036854775809", "1e9", "%00", ""];
        var answers = new List<(string What, HttpStatusCode Status)>();
        async Task Send(HttpMethod method, string path, string? cookie = null) =>
            answers.Add(($"{method} {path} {cookie}", (await Http(host).SendAsync(Request(host, method, path, cookie))).StatusCode));

        foreach (var token in tokens)
        {
            foreach (var expires in numbers.Take(3))
            {
                await Send(HttpMethod.Get, $"api/admin/session/signin?token={token}&expires={expires}&sig=x");
                await Send(HttpMethod.Post, $"api/admin/session/signin?token={token}&expires={expires}&sig=x");
            }
        }
        await Send(HttpMethod.Get, "api/admin/session/signin");
        foreach (var cookie in new[] { "999999999999999999.1.2.3.x", "1.99999999999999.99999999999999.99999999999999.x", "a.b.c.d.e", "....", "%FF%FE", new string('a', 5000), "a.-1.-1.-1.x" })
            await Send(HttpMethod.Get, "api/admin/session", cookie);
        foreach (var expires in numbers)
        {
            foreach (var link in new[] { $"moderate/{id}/approve", $"moderate/{id}/delete", "moderate/%00/spam", $"moderate/{id}/publish", $"unsubscribe/{id}", $"confirm/{id}", $"confirm/{new string('z', 300)}" })
            {
                await Send(HttpMethod.Get, $"api/{link}?expires={expires}&sig=AAAA");
                await Send(HttpMethod.Post, $"api/{link}?expires={expires}&sig=%FF");
            }
        }
        var bad = answers.Where(a => a.Status is not (HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)).ToList();
        Assert.True(bad.Count == 0, "answered otherwise than 400/401/403/404: " + string.Join("; ", bad.Take(10).Select(b => $"{b.What} -> {(int)b.Status}")));
        Assert.True(answers.Count > 100);
    }

    [Fact]
    public async Task The_pages_behind_email_links_forbid_framing_and_inline_code_and_still_work()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"));
        var id = await host.PostAcceptedAsync(Api.Comment("/framed/", "Held, with <b>markup</b>\nand a second line"));
        await host.StoredAsync(id);
        var signer = new LinkSigner(Options.Create(new NotificationOptions { LinkSecret = Secret }), NullLogger<LinkSigner>.Instance);
        var expires = DateTimeOffset.UtcNow.AddDays(1);
        string Link(string path, string action) => $"api/{path}?{signer.Query(action, id, expires)}";
        var pages = new[]
        {
            Link($"moderate/{id}/approve", "approve"), Link($"unsubscribe/{id}", "unsubscribe"), Link($"confirm/{id}", "confirm"),
            $"api/moderate/{id}/approve?expires=1&sig=altered", // a refusal page too
            $"api/admin/session/signin?token=1-{new string('0', 32)}&expires=1&sig=x",
        };
        foreach (var page in pages)
        {
            var answer = await Http(host).GetAsync(page);
            var html = await answer.Content.ReadAsStringAsync();
            var csp = answer.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("DENY", answer.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", answer.Headers.GetValues("Referrer-Policy").Single());
            Assert.DoesNotContain("style=", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<style", html);
        }
        Assert.Equal(HttpStatusCode.OK, (await Http(host).GetAsync("api/console/console.css")).StatusCode);

        // The moderation page's form still does its job: it posts to the same link.
        var moderation = await (await Http(host).GetAsync(pages[0])).Content.ReadAsStringAsync();
        Assert.Contains("&lt;b&gt;markup&lt;/b&gt;", moderation);
        var action = WebUtility.HtmlDecode(FormAction().Match(moderation).Groups[1].Value).TrimStart('/');
        Assert.Equal(HttpStatusCode.OK, (await Http(host).PostAsync(action, null)).StatusCode);
        Assert.Equal("published", (await host.StoredAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_owner_lists_open_sessions_and_signs_out_everywhere()
    {
        await using var host = await StartAsync();
        var (phone, phoneCsrf) = await SignInAsync(host, "PhoneBrowser/2.0");
        var (laptop, _) = await SignInAsync(host, "LaptopBrowser/3.0");

        var listed = await Http(host).SendAsync(Request(host, HttpMethod.Get, "api/admin/sessions", laptop));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var sessions = (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(["LaptopBrowser/3.0", "PhoneBrowser/2.0"], sessions.Select(s => s.GetProperty("userAgent").GetString()).Order());
        Assert.True(sessions.Single(s => s.GetProperty("userAgent").GetString() == "LaptopBrowser/3.0").GetProperty("current").GetBoolean());
        Assert.False(sessions.Single(s => s.GetProperty("userAgent").GetString() == "PhoneBrowser/2.0").GetProperty("current").GetBoolean());
        Assert.All(sessions, s => Assert.True(s.TryGetProperty("createdAt", out _) && s.TryGetProperty("lastUsedAt", out _)));
        Assert.DoesNotContain(phone.Split('.')[0], await listed.Content.ReadAsStringAsync());

        var everywhere = await Http(host).SendAsync(Request(host, HttpMethod.Post, "api/admin/sessions/signout", phone, phoneCsrf));
        Assert.Equal(HttpStatusCode.OK, everywhere.StatusCode);
        Assert.Equal(2, (await everywhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ended").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http(host).SendAsync(Request(host, HttpMethod.Get, "api/admin/session", laptop))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http(host).SendAsync(Request(host, HttpMethod.Get, "api/admin/session", phone))).StatusCode);
        // The key is not a session: scripts keep working.
        Assert.Equal(HttpStatusCode.OK, (await host.AdminAsync(HttpMethod.Get, "stats")).StatusCode);
    }

    /// <summary>Every signed-link route of the table, without a signature or with an altered one, is refused and acts on nothing.</summary>
    [Fact]
    public async Task Every_signed_link_route_of_the_table_refuses_a_link_without_a_valid_signature()
    {
        await using var host = await StartAsync(("Moderation__Mode", "all"));
        var id = await host.PostAcceptedAsync(Api.Comment("/unsigned/", "Held"));
        await host.StoredAsync(id);
        var linked = RouteTableTests.Table().Where(r => r.Access == Access.SignedLink).ToList();
        Assert.True(linked.Count >= 8);
        foreach (var route in linked)
        {
            var path = "api/" + route.Pattern.Replace("{id}", id).Replace("{action}", "approve");
            foreach (var method in route.Methods.Select(m => new HttpMethod(m)))
            {
                foreach (var query in new[] { "", "?expires=4102444800&sig=forged", $"?token=4102444800-{new string('0', 32)}&expires=4102444800&sig=forged" })
                {
                    var answer = await Http(host).SendAsync(Request(host, method, path + query));
                    Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{route.Name}: {method} {path}{query}: {(int)answer.StatusCode}");
                }
            }
        }
        Assert.Equal("pending", (await host.StoredAsync(id)).GetProperty("status").GetString());
    }

    /// <summary>The table adapters of sign-in on Azurite: the purge removes expired sessions and used
    /// links (and older versions' sign-out rows) and nothing alive; counters count and restart.</summary>
    [Fact]
    public async Task The_purge_removes_expired_sessions_and_used_links_only_and_counters_count_in_their_window()
    {
        var options = Options.Create(new StorageOptions { CommentTable = "access" + Guid.NewGuid().ToString("N")[..8] });
        var table = new CommentTable(new TableServiceClient(azurite.ConnectionString), options);
        await table.Client.CreateIfNotExistsAsync();
        try
        {
            var tokens = new TableOwnerTokens(table);
            var now = DateTimeOffset.UtcNow;
            await tokens.AddAsync(new SessionRecord("old", now.AddDays(-40), now.AddDays(-20), now.AddDays(-1), "Old"), default);
            await tokens.AddAsync(new SessionRecord("live", now.AddDays(-1), now, now.AddDays(13), "Live"), default);
            Assert.True(await tokens.TryUseOnceAsync("link", "used-long-ago", now.AddMinutes(-5), default));
            Assert.True(await tokens.TryUseOnceAsync("link", "used-just-now", now.AddMinutes(10), default));
            Assert.True(await tokens.TryUseOnceAsync("signout", "from-an-older-version", now.AddDays(-2), default));
            await tokens.TouchAsync(new SessionRecord("gone", now, now, now.AddDays(1), null), default); // never brings a session back

            Assert.Equal(3, await tokens.PurgeAsync(now, default));
            Assert.Equal(["live"], (await tokens.ListAsync(default)).Select(s => s.Handle));
            Assert.True(await tokens.IsUsedAsync("link", "used-just-now", default));
            Assert.False(await tokens.IsUsedAsync("link", "used-long-ago", default));
            Assert.False(await tokens.IsUsedAsync("signout", "from-an-older-version", default));

            var counters = new TableAttemptCounters(table);
            var counted = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => counters.AddAsync("k", TimeSpan.FromHours(1), now, default)));
            Assert.Equal([1, 2, 3, 4, 5], counted.Select(c => c.Count).Order());
            Assert.Equal(1, (await counters.AddAsync("k", TimeSpan.FromHours(1), now.AddHours(2), default)).Count);
            Assert.Equal(1, await counters.ForgetOlderThanAsync(now.AddHours(3), default));
            Assert.Null(await counters.ReadAsync("k", default));
        }
        finally
        {
            await table.Client.DeleteAsync();
        }
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
