using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>
/// The API description against the real API: Prism, run as a validating proxy from the document
/// the self-host serves at <c>/api/openapi.json</c>, stands between these requests and a real
/// self-host over Azurite. Prism checks each request and each answer against the document and
/// reports what breaks it (an <c>sl-violations</c> header, or its own error answer); any report fails.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ApiContractTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Thread = "/contract/";
    private SelfHost _host = null!;
    private Process? _prism;
    private HttpClient _http = null!;
    private string _document = "";

    public async ValueTask InitializeAsync()
    {
        _host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Notifications__OwnerEmail"] = "owner@blog.example.com",
            ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
        });
        // The document as the host serves it, not the source file: what a client generator would get.
        _document = await WriteAsync(await _host.Http.GetStringAsync("api/openapi.json"));
        (_prism, _http) = await StartPrismAsync(_document);
    }

    private static async Task<string> WriteAsync(string document)
    {
        var path = Path.Combine(Path.GetTempPath(), $"serverlesscomments-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, document);
        return path;
    }

    private async Task<(Process Prism, HttpClient Http)> StartPrismAsync(string document)
    {
        var prism = ChildProcess.NpmTool("prism");
        var port = FreePort.Next();
        var start = new ProcessStartInfo(prism) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "proxy", "-h", "127.0.0.1", "-p", port.ToString(), document, _host.BaseAddress.GetLeftPart(UriPartial.Authority), "--errors" })
            start.ArgumentList.Add(arg);
        var process = ChildProcess.Start(start);
        try
        {
            await FreePort.WaitForListenerAsync(port, TimeSpan.FromSeconds(60));
        }
        catch
        {
            Stop(process);
            throw;
        }
        return (process, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60),
        });
    }

    private static void Stop(Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        Stop(_prism);
        if (_document.Length > 0)
            File.Delete(_document);
        await _host.DisposeAsync();
    }

    /// <summary>Sends through Prism; fails on any violation Prism reports, or on another status than expected.</summary>
    private Task<string> SendAsync(HttpStatusCode expected, HttpMethod method, string path, object? body = null, bool owner = false,
        Action<HttpRequestMessage>? configure = null) => SendAsync(_http, expected, method, path, body, owner, configure);

    private static async Task<string> SendAsync(HttpClient http, HttpStatusCode expected, HttpMethod method, string path, object? body = null, bool owner = false,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (owner)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Api.AdminKey);
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var violations = response.Headers.TryGetValues("sl-violations", out var found) ? string.Join(" ", found) : null;
        Assert.True(violations is null, $"{method} {path}: Prism reports {violations}\n{text}");
        Assert.False(text.Contains("stoplight.io/prism/errors", StringComparison.Ordinal), $"{method} {path}: Prism refused: {text}");
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    [Fact]
    public async Task Real_requests_and_answers_of_readers_and_the_owner_keep_to_the_description()
    {
        var get = HttpMethod.Get;
        var post = HttpMethod.Post;
        await SendAsync(HttpStatusCode.OK, get, "api/openapi.json");
        await SendAsync(HttpStatusCode.OK, get, "api/health");
        await SendAsync(HttpStatusCode.OK, get, "api/widget/comments.js");

        // A reader posts, with an Idempotency-Key, and a reply.
        var comment = new { thread = Thread, author = "Sandrine", email = "sandrine@example.com", body = "Bravo pour ton témoignage, « merci » ! 😉", pageUrl = "https://blog.example.com/contract/", notifyOnReply = false };
        var accepted = await SendAsync(HttpStatusCode.Accepted, post, "api/comments", comment,
            configure: r => r.Headers.Add("Idempotency-Key", "\"" + Guid.NewGuid() + "\""));
        var id = JsonDocument.Parse(accepted).RootElement.GetProperty("id").GetString()!;
        await _host.StoredAsync(id);
        var reply = JsonDocument.Parse(await SendAsync(HttpStatusCode.Accepted, post, "api/comments",
            new { thread = Thread, author = "Manon", email = "manon@example.com", body = "Merci !", parentId = id })).RootElement.GetProperty("id").GetString()!;

        // Bad input the document allows but the API refuses: problem details naming the field.
        await SendAsync(HttpStatusCode.BadRequest, post, "api/comments", new { thread = Thread, author = "Ann", email = "ann@example.com", body = "b", parentId = new string('0', 32) });
        await SendAsync(HttpStatusCode.BadRequest, post, "api/comments", new { thread = Thread, author = "Ann", email = "not-an-address", body = "b" });
        await SendAsync(HttpStatusCode.Conflict, post, "api/comments", comment);
        await SendAsync(HttpStatusCode.BadRequest, get, "api/comments?thread=" + Uri.EscapeDataString(Thread) + "&after=not-a-cursor");

        // The thread, its ETag, and counts.
        await Eventually.HoldsAsync(async () => (await _host.GetThreadAsync(Thread)).GetProperty("count").GetInt32() == 2, "both comments to be published");
        string? etag = null;
        using (var first = await _http.GetAsync("api/comments?thread=" + Uri.EscapeDataString(Thread)))
            etag = first.Headers.ETag?.Tag;
        Assert.NotNull(etag);
        var thread = await SendAsync(HttpStatusCode.OK, get, "api/comments?thread=" + Uri.EscapeDataString(Thread) + "&order=newest");
        Assert.Equal(id, JsonDocument.Parse(thread).RootElement.GetProperty("comments")[0].GetProperty("id").GetString());
        await SendAsync(HttpStatusCode.NotModified, get, "api/comments?thread=" + Uri.EscapeDataString(Thread), configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        await SendAsync(HttpStatusCode.OK, get, "api/comments/count?thread=" + Uri.EscapeDataString(Thread) + "&thread=%2Fnone%2F");

        // The owner, with the key.
        await SendAsync(HttpStatusCode.Unauthorized, get, "api/admin/stats", configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key"));
        await SendAsync(HttpStatusCode.OK, get, "api/admin/stats", owner: true);
        await SendAsync(HttpStatusCode.OK, get, "api/admin/comments?status=all&pageSize=10", owner: true);
        await SendAsync(HttpStatusCode.OK, get, $"api/admin/comments/{id}", owner: true);
        await SendAsync(HttpStatusCode.NotFound, get, $"api/admin/comments/{new string('0', 32)}", owner: true);
        await SendAsync(HttpStatusCode.OK, post, $"api/admin/comments/{id}/hold", owner: true);
        await SendAsync(HttpStatusCode.OK, post, $"api/admin/comments/{id}/approve", owner: true);
        await SendAsync(HttpStatusCode.BadRequest, post, $"api/admin/comments/{id}/approve?block=email", owner: true);
        await SendAsync(HttpStatusCode.OK, HttpMethod.Patch, $"api/admin/comments/{id}", new { body = "Bravo pour ton témoignage !" }, owner: true);
        await SendAsync(HttpStatusCode.Created, post, $"api/admin/comments/{id}/reply", new { body = "Merci Sandrine" }, owner: true);
        await SendAsync(HttpStatusCode.OK, post, "api/admin/comments/bulk", new { action = "approve", ids = new[] { id, new string('0', 32) } }, owner: true);
        await SendAsync(HttpStatusCode.BadRequest, post, "api/admin/comments/bulk", new { action = "approve", ids = Array.Empty<string>() }, owner: true);
        await SendAsync(HttpStatusCode.OK, get, "api/admin/lists", owner: true);
        await SendAsync(HttpStatusCode.OK, HttpMethod.Put, "api/admin/lists", new { holdWords = new[] { " crypto " }, spamRetentionDays = 30 }, owner: true);
        await SendAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "api/admin/lists", new { blockIps = new[] { "not an ip" } }, owner: true);
        await SendAsync(HttpStatusCode.OK, get, "api/admin/sessions", owner: true);
        await SendAsync(HttpStatusCode.OK, get, "api/admin/personal-data?email=sandrine%40example.com", owner: true);
        await SendAsync(HttpStatusCode.OK, get, "api/admin/export?format=json", owner: true);
        await SendAsync(HttpStatusCode.OK, post, "api/admin/comments/" + id + "/spam", owner: true);
        await SendAsync(HttpStatusCode.OK, post, "api/admin/spam/empty", owner: true);
        await SendAsync(HttpStatusCode.OK, post, "api/admin/personal-data/erase", new { email = "manon@example.com", mode = "anonymise", keepText = true }, owner: true);
        await SendAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"api/admin/comments/{new string('0', 31)}1", owner: true);
        await SendAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"api/admin/comments/{reply}", owner: true);
    }

    [Fact]
    public async Task The_proxy_does_report_an_answer_that_breaks_the_description()
    {
        // The same document, but a thread page without `next`: the real page has it, and the page's
        // schema allows no other property, so the real answer breaks this document.
        var document = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(_document))!;
        Assert.True(document["components"]!["schemas"]!["ThreadPage"]!["properties"]!.AsObject().Remove("next"));
        document["components"]!["schemas"]!["ThreadPage"]!["required"]!.AsArray().Clear();
        var broken = await WriteAsync(document.ToJsonString());
        var (prism, http) = await StartPrismAsync(broken);
        try
        {
            await SendAsync(HttpStatusCode.OK, HttpMethod.Get, "api/comments?thread=" + Uri.EscapeDataString(Thread));
            var reported = await Record.ExceptionAsync(() => SendAsync(http, HttpStatusCode.OK, HttpMethod.Get, "api/comments?thread=" + Uri.EscapeDataString(Thread)));
            Assert.NotNull(reported);
            Assert.Contains("Prism", reported.Message);
        }
        finally
        {
            http.Dispose();
            Stop(prism);
            File.Delete(broken);
        }
    }
}
