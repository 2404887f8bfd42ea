using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>
/// A stand-in for Akismet's REST API (1.1) on a loopback port, following its documented
/// contract: <c>comment-check</c> answers "true" for the author <c>viagra-test-123</c> or the
/// email <c>akismet-guaranteed-spam@example.com</c>, "false" for <c>user_role=administrator</c>
/// and for other comments, "invalid" with <c>X-akismet-debug-help</c> when <c>api_key</c>,
/// <c>blog</c> or <c>user_ip</c> is missing; <c>verify-key</c> says "valid" for <see cref="Key"/>;
/// <c>submit-spam</c> and <c>submit-ham</c> thank you. Test-only hooks: spam whose text contains
/// "[blatant]" also carries <c>X-akismet-pro-tip: discard</c>, and <see cref="Outage"/> makes it
/// fail (500) or answer slowly.
/// </summary>
public sealed class FakeAkismet : IAsyncDisposable
{
    public const string Key = "fake-akismet-key";
    public enum Trouble { None, ServerError, Slow }

    private readonly WebApplication _app;
    public Uri BaseUrl { get; }
    public Trouble Outage { get; set; }
    public TimeSpan SlowBy { get; set; } = TimeSpan.FromSeconds(5);
    public ConcurrentQueue<(string Method, Dictionary<string, string> Fields)> Calls { get; } = new();

    private FakeAkismet(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static Task<FakeAkismet> StartAsync() => LoopbackServer.StartAsync((app, url) =>
    {
        var fake = new FakeAkismet(app, url);
        app.MapPost("/1.1/{method}", fake.HandleAsync);
        return fake;
    });

    public IEnumerable<Dictionary<string, string>> CallsTo(string method) => Calls.Where(c => c.Method == method).Select(c => c.Fields);

    private async Task<IResult> HandleAsync(string method, HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString());
        Calls.Enqueue((method, fields));
        switch (Outage)
        {
            case Trouble.ServerError:
                return Results.StatusCode(500);
            case Trouble.Slow:
                await Task.Delay(SlowBy);
                break;
        }

        string Field(string name) => fields.TryGetValue(name, out var value) ? value : "";
        if (method == "verify-key")
            return Results.Text(Field("api_key") == Key && Field("blog").Length > 0 ? "valid" : "invalid");
        foreach (var required in new[] { "api_key", "blog", "user_ip" })
        {
            if (Field(required).Length == 0)
            {
                request.HttpContext.Response.Headers["X-akismet-debug-help"] = $"Empty \"{required}\" value";
                return Results.Text("invalid");
            }
        }
        if (Field("api_key") != Key)
        {
            request.HttpContext.Response.Headers["X-akismet-debug-help"] = "Invalid API key";
            return Results.Text("invalid");
        }
        switch (method)
        {
            case "submit-spam" or "submit-ham":
                return Results.Text("Thanks for making the web a better place.");
            case "comment-check":
                if (Field("user_role") == "administrator")
                    return Results.Text("false");
                if (Field("comment_author") == "viagra-test-123" || Field("comment_author_email") == "akismet-guaranteed-spam@example.com")
                {
                    if (Field("comment_content").Contains("[blatant]"))
                        request.HttpContext.Response.Headers["X-akismet-pro-tip"] = "discard";
                    return Results.Text("true");
                }
                return Results.Text("false");
            default:
                return Results.NotFound();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
