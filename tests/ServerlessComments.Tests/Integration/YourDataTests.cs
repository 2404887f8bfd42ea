using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>A reader's own data over real HTTP, Azurite and a fake SendGrid: the link reaches an
/// address with comments and no other (the same answer), its page changes nothing, the download
/// holds the reader's comments only, the erase leaves nothing and ends the link, and an altered
/// link or another origin gets nowhere.</summary>
[Collection(StorageCollection.Name)]
public sealed partial class YourDataTests(AzuriteFixture azurite)
{
    private const string Reader = "rita@example.com";

    private Task<SelfHost> StartAsync(FakeSendGrid sendGrid) => SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
    {
        ["Admin__ApiKey"] = Api.AdminKey,
        ["SendGrid__ApiKey"] = "SG.test-key",
        ["SendGrid__Host"] = sendGrid.BaseUrl.ToString().TrimEnd('/'),
        ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
        ["Moderation__Mode"] = "none",
        ["Cors__AllowedOrigins"] = "https://blog.example.com",
        ["Network__TrustForwardedHeaders"] = "true", // each test request names its client
    });

    private static async Task<(HttpStatusCode Status, string Body)> AskAsync(SelfHost host, string email, string ip)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/your-data/link") { Content = JsonContent.Create(new { email, lang = "en" }) };
        request.Headers.Add("X-Forwarded-For", ip);
        var response = await host.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_link_reaches_only_an_address_with_comments_and_lets_the_reader_download_then_erase_once()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var host = await StartAsync(sendGrid);
        var mine = await host.PostAcceptedAsync(Api.Comment("/post/", "Rita writes here", author: "Rita", email: Reader));
        var other = await host.PostAcceptedAsync(Api.Comment("/post/", "Otto writes there", author: "Otto", email: "otto@example.com"));
        await host.StoredAsync(mine);
        await host.StoredAsync(other);

        var nobody = await AskAsync(host, "nobody@example.com", "198.51.100.1");
        var rita = await AskAsync(host, Reader, "198.51.100.2");
        Assert.Equal(HttpStatusCode.Accepted, nobody.Status);
        Assert.Equal((nobody.Status, nobody.Body), rita);

        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.To(Reader).Any()), "the your-data email");
        await Eventually.HoldsAsync(async () => (await host.NotificationQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the email queue to drain");
        Assert.Empty(sendGrid.To("nobody@example.com"));
        var link = new Uri(LinkPattern().Match(Assert.Single(sendGrid.To(Reader)).Text).Value).PathAndQuery.TrimStart('/');

        var page = await host.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("method=\"post\"", await page.Content.ReadAsStringAsync());
        var t = link[(link.IndexOf("t=", StringComparison.Ordinal) + 2)..];
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.GetAsync("api/your-data?t=" + t[..^2] + "AA")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.PostAsync("api/your-data/erase?mode=delete&t=" + t[..^2] + "AA", null)).StatusCode);

        var download = await host.Http.PostAsync("api/your-data/download?t=" + t, null);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var json = await download.Content.ReadAsStringAsync();
        Assert.Contains("Rita writes here", JsonDocument.Parse(json).RootElement.ToString());
        Assert.DoesNotContain("Otto", json);

        var erased = await Task.WhenAll(host.Http.PostAsync("api/your-data/erase?mode=delete&t=" + t, null), host.Http.PostAsync("api/your-data/erase?mode=delete&t=" + t, null));
        Assert.Single(erased, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(erased, r => r.StatusCode == HttpStatusCode.Gone);
        Assert.Null(await host.FindAsync(mine));
        Assert.NotNull(await host.FindAsync(other));
        Assert.Equal(HttpStatusCode.Gone, (await host.Http.PostAsync("api/your-data/download?t=" + t, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await host.Http.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task A_client_asking_again_at_once_waits_and_another_origin_gets_no_cors_grant()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var host = await StartAsync(sendGrid);
        Assert.Equal(HttpStatusCode.Accepted, (await AskAsync(host, Reader, "203.0.113.5")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AskAsync(host, "someone@example.com", "203.0.113.5")).Status);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/your-data/link");
        preflight.Headers.Add("Origin", "https://evil.example.net");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var answer = await host.Http.SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));

        using var blog = new HttpRequestMessage(HttpMethod.Options, "api/your-data/link");
        blog.Headers.Add("Origin", "https://blog.example.com");
        blog.Headers.Add("Access-Control-Request-Method", "POST");
        blog.Headers.Add("Access-Control-Request-Headers", "content-type");
        Assert.True((await host.Http.SendAsync(blog)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [GeneratedRegex(@"https?://\S+/api/your-data\?t=[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
