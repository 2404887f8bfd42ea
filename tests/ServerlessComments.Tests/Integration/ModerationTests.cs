using System.Net;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The verdict paths that cross a real edge, end to end: real HTTP, the real processor,
/// real Azurite, and a fake Akismet that follows Akismet's published contract. The rules
/// themselves (modes, built-in defences, retries while Akismet is down) are tested in-process in
/// Core/CommentRulesTests.</summary>
[Collection(StorageCollection.Name)]
public sealed class ModerationTests(AzuriteFixture azurite)
{
    private Task<SelfHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(true, settings);

    private Task<SelfHost> StartAsync(bool waitUntilHealthy, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string> { ["Admin__ApiKey"] = Api.AdminKey };
        foreach (var (key, value) in settings)
            all[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, all, waitUntilHealthy);
    }

    private static (string, string)[] AkismetAt(FakeAkismet akismet, params (string, string)[] more) =>
    [
        ("Akismet__ApiKey", FakeAkismet.Key), ("Akismet__BlogUrl", "https://blog.example.com/"),
        ("Akismet__BaseUrl", akismet.BaseUrl.ToString()), ("Akismet__IsTest", "true"), ("Akismet__BlogLang", "fr"),
        .. more,
    ];

    private static string Status(JsonElement comment) => comment.GetProperty("status").GetString()!;
    private static string Reasons(JsonElement comment) => string.Join(" | ", comment.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

    [Fact]
    public async Task Akismet_ham_is_published_spam_is_hidden_and_blatant_spam_is_not_stored()
    {
        await using var akismet = await FakeAkismet.StartAsync();
        await using var host = await StartAsync(AkismetAt(akismet, ("Moderation__Mode", "none")));
        const string thread = "/akismet/";

        var ham = await host.PostAcceptedAsync(Api.Comment(thread, "Très bel article, merci !", website: "https://example.org/"),
            r => { r.Headers.UserAgent.ParseAdd("Mozilla/5.0 (test)"); r.Headers.Referrer = new Uri("https://blog.example.com/akismet/"); });
        Assert.Equal("published", Status(await host.StoredAsync(ham)));

        // Everything Akismet uses, as its documentation lists it.
        var check = akismet.CallsTo("comment-check").Single();
        Assert.Equal(FakeAkismet.Key, check["api_key"]);
        Assert.Equal("https://blog.example.com/", check["blog"]);
        Assert.Equal("127.0.0.1", check["user_ip"]);
        Assert.Equal("Mozilla/5.0 (test)", check["user_agent"]);
        Assert.Equal("https://blog.example.com/akismet/", check["referrer"]);
        Assert.Equal("https://blog.example.com/akismet/", check["permalink"]);
        Assert.Equal("comment", check["comment_type"]);
        Assert.Equal("Ann", check["comment_author"]);
        Assert.Equal("ann@example.com", check["comment_author_email"]);
        Assert.Equal("https://example.org/", check["comment_author_url"]);
        Assert.Equal("Très bel article, merci !", check["comment_content"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", check["comment_date_gmt"]);
        Assert.Equal("fr", check["blog_lang"]);
        Assert.Equal("UTF-8", check["blog_charset"]);
        Assert.Equal("hp", check["honeypot_field_name"]);
        Assert.Equal("", check["hp"]);
        Assert.Equal("1", check["is_test"]);

        var reply = await host.PostAcceptedAsync(Api.Comment(thread, "Je réponds", author: "Bob", email: "bob@example.com", parentId: ham));
        await host.StoredAsync(reply);
        Assert.Equal("reply", akismet.CallsTo("comment-check").Last()["comment_type"]);

        var spam = await host.PostAcceptedAsync(Api.Comment(thread, "Buy now", author: "viagra-test-123", email: "s@example.net"));
        var stored = await host.StoredAsync(spam);
        Assert.Equal("spam", Status(stored));
        Assert.Contains("Akismet: spam", Reasons(stored));

        var blatant = await host.PostAcceptedAsync(Api.Comment(thread, "[blatant] cheap pills", email: "akismet-guaranteed-spam@example.com"));
        await host.DrainedAsync();
        Assert.Null(await host.FindAsync(blatant));
        Assert.Equal(4, akismet.CallsTo("comment-check").Count()); // ham, reply, spam, blatant

        var view = await host.GetThreadAsync(thread);
        Assert.Equal(2, view.GetProperty("count").GetInt32());
        Assert.DoesNotContain("Buy now", view.ToString());
    }

    [Fact]
    public async Task Akismet_answering_invalid_is_not_a_verdict()
    {
        await using var akismet = await FakeAkismet.StartAsync();
        await using var host = await StartAsync(waitUntilHealthy: false,
            ("Akismet__ApiKey", "a-key-akismet-refuses"), ("Akismet__BlogUrl", "https://blog.example.com/"), ("Akismet__BaseUrl", akismet.BaseUrl.ToString()),
            ("Moderation__Mode", "none"), ("Akismet__MaxRetries", "0"));
        var id = await host.PostAcceptedAsync(Api.Comment("/invalid/", "Checked with a bad key"));
        var held = await host.StoredAsync(id);
        Assert.Equal("pending", Status(held));
        Assert.Contains("Invalid API key", Reasons(held));

        // The health check asks verify-key, and a refused key is a fault.
        var health = await host.Http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("akismet", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_reports_a_valid_Akismet_key_and_is_no_lever_on_akismet()
    {
        await using var akismet = await FakeAkismet.StartAsync();
        await using var host = await StartAsync(AkismetAt(akismet));
        var health = JsonDocument.Parse(await host.Http.GetStringAsync("api/health")).RootElement;
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("valid", health.GetProperty("akismet").GetString());
        Assert.InRange(health.GetProperty("akismetCheckedSecondsAgo").GetInt32(), 0, 300);

        // Fifty health checks, many at once: the blog's key is checked once, not fifty times.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => host.Http.GetStringAsync("api/health")));
        Assert.Single(akismet.CallsTo("verify-key"));
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_trusted()
    {
        await using var host = await StartAsync(("Moderation__Mode", "none"));
        var id = await host.PostAcceptedAsync(Api.Comment("/proxy/", "Hi"), r => r.Headers.Add("X-Forwarded-For", "203.0.113.9"));
        Assert.Equal("127.0.0.1", (await host.StoredAsync(id)).GetProperty("ip").GetString());
    }

    [Fact]
    public async Task Flood_control_answers_429_with_retry_after_per_ip_and_per_email()
    {
        await using var host = await StartAsync(("Moderation__Mode", "none"), ("Spam__FloodSeconds", "15"), ("Network__TrustForwardedHeaders", "true"));
        static Action<HttpRequestMessage> From(string ip) => r => r.Headers.Add("X-Forwarded-For", ip);

        await host.PostAcceptedAsync(Api.Comment("/flood/", "First", email: "a@example.com"), From("198.51.100.1"));

        var sameIp = await host.PostAsync(Api.Comment("/flood-2/", "Second", email: "b@example.com"), From("198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, sameIp.StatusCode);
        var retryAfter = int.Parse(sameIp.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 15);
        Assert.Equal("application/problem+json", sameIp.Content.Headers.ContentType?.MediaType);
        // The body says the same wait, for pages on other origins that cannot read the header.
        using (var problem = JsonDocument.Parse(await sameIp.Content.ReadAsStringAsync()))
            Assert.Equal(retryAfter, problem.RootElement.GetProperty("retryAfter").GetInt32());

        var sameEmail = await host.PostAsync(Api.Comment("/flood-3/", "Third", email: "A@example.com"), From("198.51.100.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, sameEmail.StatusCode);

        await host.PostAcceptedAsync(Api.Comment("/flood-4/", "Someone else", email: "c@example.com"), From("198.51.100.3"));
        await host.DrainedAsync();
        Assert.Equal(0, await host.CountAsync("/flood-2/") + await host.CountAsync("/flood-3/"));
    }

    [Fact]
    public async Task The_same_email_posting_the_same_text_to_the_same_thread_is_409()
    {
        await using var host = await StartAsync(("Moderation__Mode", "none"));
        // A double submission, both at once: both answered 202, one stored.
        await Task.WhenAll(host.PostAcceptedAsync(Api.Comment("/dup-post/", "Exactly this.")), host.PostAcceptedAsync(Api.Comment("/dup-post/", "Exactly this.")));
        await host.DrainedAsync();
        await Eventually.HoldsAsync(async () => await host.CountAsync("/dup-post/") == 1, "one copy to be stored");
        var again = await host.PostAsync(Api.Comment("/dup-post/", "Exactly this.", email: "ANN@example.com"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already posted", await again.Content.ReadAsStringAsync());

        await host.PostAcceptedAsync(Api.Comment("/another-post/", "Exactly this."));
        await host.PostAcceptedAsync(Api.Comment("/dup-post/", "Exactly this.", email: "someone-else@example.com"));
        await host.DrainedAsync();
        Assert.Equal(2, await host.CountAsync("/dup-post/"));
    }
}
