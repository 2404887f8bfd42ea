using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>Likes, page reactions and pins over real HTTP and Azurite: one like per reader id
/// however often it is sent, bad input named, the flood guard's 429, the owner's pin refused to
/// readers, and a storm of 1,000 readers on one comment counted exactly.</summary>
[Collection(StorageCollection.Name)]
public sealed class ReactionsTests(AzuriteFixture azurite)
{
    private static string ReaderNo(int i) => "reader-" + i.ToString("d24", System.Globalization.CultureInfo.InvariantCulture);

    private Task<SelfHost> StartAsync(int floodMilliseconds) => SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
    {
        ["Admin__ApiKey"] = Api.AdminKey,
        ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
        ["Moderation__Mode"] = "none",
        ["Spam__FloodSeconds"] = "0",
        ["Network__TrustForwardedHeaders"] = "true", // each request names its client
        ["Reactions__FloodMilliseconds"] = floodMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ReactAsync(SelfHost host, HttpMethod method, object body, string ip)
    {
        using var request = new HttpRequestMessage(method, "api/reactions") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", ip);
        var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement, response);
    }

    private static async Task<JsonElement> CountsAsync(SelfHost host, string thread) =>
        await host.Http.GetFromJsonAsync<JsonElement>("api/reactions?thread=" + Uri.EscapeDataString(thread));

    private static async Task<string> PublishedAsync(SelfHost host, string thread, string body, string email)
    {
        var id = await host.PostAcceptedAsync(Api.Comment(thread, body, email: email));
        await host.StoredAsync(id);
        return id;
    }

    [Fact]
    public async Task A_reader_likes_once_takes_it_back_and_bad_input_is_named()
    {
        await using var host = await StartAsync(floodMilliseconds: 0);
        var id = await PublishedAsync(host, "/likes/", "Worth a like", "ann@example.com");
        var a = new { thread = "/likes/", comment = id, reader = ReaderNo(1) };

        var liked = await ReactAsync(host, HttpMethod.Post, a, "198.51.100.1");
        Assert.Equal(HttpStatusCode.OK, liked.Status);
        Assert.Equal(1, liked.Body.GetProperty("count").GetInt32());
        Assert.Equal(1, (await ReactAsync(host, HttpMethod.Post, a, "198.51.100.1")).Body.GetProperty("count").GetInt32()); // a retry
        Assert.Equal(2, (await ReactAsync(host, HttpMethod.Post, a with { reader = ReaderNo(2) }, "198.51.100.2")).Body.GetProperty("count").GetInt32());
        Assert.Equal(2, (await CountsAsync(host, "/likes/")).GetProperty("likes").GetProperty(id).GetInt32());

        Assert.Equal(1, (await ReactAsync(host, HttpMethod.Delete, a, "198.51.100.1")).Body.GetProperty("count").GetInt32());
        Assert.Equal(1, (await ReactAsync(host, HttpMethod.Delete, a, "198.51.100.1")).Body.GetProperty("count").GetInt32());
        Assert.Equal(1, (await CountsAsync(host, "/likes/")).GetProperty("likes").GetProperty(id).GetInt32());

        var page = await ReactAsync(host, HttpMethod.Post, new { thread = "/likes/", emoji = "👍", reader = ReaderNo(1) }, "198.51.100.1");
        Assert.Equal(1, page.Body.GetProperty("count").GetInt32());
        Assert.Equal(1, (await CountsAsync(host, "/likes/")).GetProperty("page").GetProperty("👍").GetInt32());

        async Task BadAsync(object body, HttpStatusCode status, string field)
        {
            var bad = await ReactAsync(host, HttpMethod.Post, body, "198.51.100.3");
            Assert.Equal(status, bad.Status);
            Assert.Equal("application/problem+json", bad.Response.Content.Headers.ContentType?.MediaType);
            Assert.True(bad.Body.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named in {bad.Body}");
        }
        await BadAsync(new { thread = "/likes/", comment = id, reader = "x" }, HttpStatusCode.BadRequest, "reader");
        await BadAsync(new { thread = "/likes/", comment = id, reader = "<script>alert(1)</script>" }, HttpStatusCode.BadRequest, "reader");
        await BadAsync(new { thread = "/likes/", comment = id, reader = 42 }, HttpStatusCode.BadRequest, "reader");
        await BadAsync(new { thread = "/likes/", emoji = "💩", reader = ReaderNo(3) }, HttpStatusCode.BadRequest, "emoji");
        await BadAsync(new { thread = "/likes/", comment = new string('a', 32), reader = ReaderNo(3) }, HttpStatusCode.NotFound, "comment");
        await BadAsync(new { thread = "/likes/", comment = id, reader = ReaderNo(3), pad = new string('x', 20_000) }, HttpStatusCode.RequestEntityTooLarge, "$");
        // Nothing changed.
        Assert.Equal(1, (await CountsAsync(host, "/likes/")).GetProperty("likes").GetProperty(id).GetInt32());

        // The counts are a stored document with an ETag.
        var first = await host.Http.GetAsync("api/reactions?thread=%2Flikes%2F");
        using var again = new HttpRequestMessage(HttpMethod.Get, "api/reactions?thread=%2Flikes%2F");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Http.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task One_network_reacts_once_per_window_and_hears_when_to_try_again()
    {
        await using var host = await StartAsync(floodMilliseconds: 60_000);
        var id = await PublishedAsync(host, "/flood/", "Like me", "ann@example.com");
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(host, HttpMethod.Post, new { thread = "/flood/", comment = id, reader = ReaderNo(1) }, "203.0.113.7")).Status);
        var refused = await ReactAsync(host, HttpMethod.Post, new { thread = "/flood/", comment = id, reader = ReaderNo(2) }, "203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.InRange(refused.Response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await ReactAsync(host, HttpMethod.Post, new { thread = "/flood/", comment = id, reader = ReaderNo(2) }, "203.0.113.8")).Status);
        Assert.Equal(2, (await CountsAsync(host, "/flood/")).GetProperty("likes").GetProperty(id).GetInt32());
    }

    [Fact]
    public async Task Only_the_owner_pins_and_unpins_a_comment()
    {
        await using var host = await StartAsync(floodMilliseconds: 0);
        var first = await PublishedAsync(host, "/pins/", "First", "ann@example.com");
        var second = await PublishedAsync(host, "/pins/", "Second", "bob@example.com");
        var reply = await host.PostAcceptedAsync(Api.Comment("/pins/", "A reply", email: "cy@example.com", parentId: first));
        await host.StoredAsync(reply);

        // Readers: no key, a wrong key, a session cookie used without its anti-forgery token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.AdminAsync(HttpMethod.Post, $"comments/{second}/pin", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.AdminAsync(HttpMethod.Post, $"comments/{second}/pin", key: "not-the-key-0123456789abcdefghijklmnop")).StatusCode);
        using (var plain = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress })
        {
            var origin = host.BaseAddress.GetLeftPart(UriPartial.Authority);
            using var signIn = new HttpRequestMessage(HttpMethod.Post, "api/admin/session/key") { Content = JsonContent.Create(new { key = Api.AdminKey }) };
            signIn.Headers.Add("Origin", origin);
            var cookie = (await plain.SendAsync(signIn)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sc_owner=", StringComparison.Ordinal)).Split(';')[0];
            using var forged = new HttpRequestMessage(HttpMethod.Post, $"api/admin/comments/{second}/pin");
            forged.Headers.Add("Cookie", cookie);
            forged.Headers.Add("Origin", "https://evil.example.com");
            Assert.Equal(HttpStatusCode.Forbidden, (await plain.SendAsync(forged)).StatusCode);
        }
        Assert.Equal(JsonValueKind.Null, (await CountsAsync(host, "/pins/")).GetProperty("pinned").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Post, $"comments/{second}/pin")).StatusCode);
        Assert.Equal(second, (await CountsAsync(host, "/pins/")).GetProperty("pinned").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.AdminAsync(HttpMethod.Post, $"comments/{reply}/pin")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.AdminAsync(HttpMethod.Post, $"comments/{new string('b', 32)}/pin")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.AdminAsync(HttpMethod.Delete, $"comments/{second}/pin", key: null)).StatusCode);
        Assert.Equal(second, (await CountsAsync(host, "/pins/")).GetProperty("pinned").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Delete, $"comments/{second}/pin")).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await CountsAsync(host, "/pins/")).GetProperty("pinned").ValueKind);
    }

    /// <summary>The like storm: 1,000 readers like one comment, 20 networks at once, each
    /// paced by the flood guard (set to 25 ms here; a 429 is waited out and sent again).</summary>
    [Fact]
    public async Task A_storm_of_1000_likes_from_1000_readers_is_counted_exactly_and_the_server_keeps_answering()
    {
        const int Readers = 1000, Networks = 20;
        await using var host = await StartAsync(floodMilliseconds: 25);
        var id = await PublishedAsync(host, "/storm/", "Everyone likes this", "ann@example.com");
        var view = await host.Http.GetAsync("api/comments?thread=%2Fstorm%2F");
        var refusals = 0;

        await Task.WhenAll(Enumerable.Range(0, Networks).Select(network => Task.Run(async () =>
        {
            for (var i = network; i < Readers; i += Networks)
            {
                while (true)
                {
                    var answer = await ReactAsync(host, HttpMethod.Post, new { thread = "/storm/", comment = id, reader = ReaderNo(i) }, "192.0.2." + (network + 1));
                    if (answer.Status == HttpStatusCode.OK)
                        break;
                    Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
                    Interlocked.Increment(ref refusals);
                    await Task.Delay(30);
                }
            }
        })));

        Assert.Equal(Readers, (await CountsAsync(host, "/storm/")).GetProperty("likes").GetProperty(id).GetInt32());
        // The thread's view was not rebuilt: the same first page, still one comment.
        using var sameView = new HttpRequestMessage(HttpMethod.Get, "api/comments?thread=%2Fstorm%2F");
        sameView.Headers.IfNoneMatch.Add(view.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Http.SendAsync(sameView)).StatusCode);
        Assert.Equal(1, await host.CountAsync("/storm/"));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("api/health")).StatusCode);
        var after = await ReactAsync(host, HttpMethod.Post, new { thread = "/storm/", comment = id, reader = ReaderNo(Readers) }, "192.0.2.200");
        Assert.Equal(Readers + 1, after.Body.GetProperty("count").GetInt32());
        TestContext.Current.SendDiagnosticMessage($"like storm: {Readers} likes, {refusals} answered 429 by the flood guard and sent again");
    }
}
