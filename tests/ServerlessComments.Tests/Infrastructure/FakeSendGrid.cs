using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>
/// A recording stand-in for SendGrid's <c>POST /v3/mail/send</c> on loopback: it answers 202 as
/// SendGrid does (the Prism contract tests check the request shape against SendGrid's own
/// OpenAPI), keeps every email, and can be told to fail first (429 with Retry-After, or 500).
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    private readonly WebApplication _app;
    public Uri BaseUrl { get; }
    public ConcurrentQueue<SentEmail> Sent { get; } = new();
    /// <summary>Statuses to answer before answering 202 again, in order.</summary>
    public ConcurrentQueue<int> FailFirst { get; } = new();
    public int Requests;

    public sealed record SentEmail(string To, string Subject, string Text, string Html, Dictionary<string, string> Headers, string[] Categories);

    private FakeSendGrid(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static Task<FakeSendGrid> StartAsync() => LoopbackServer.StartAsync((app, url) =>
    {
        var fake = new FakeSendGrid(app, url);
        app.MapPost("/v3/mail/send", fake.HandleAsync);
        return fake;
    });

    public IEnumerable<SentEmail> To(string address) => Sent.Where(e => e.To == address);

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref Requests);
        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            return Results.StatusCode(401);
        if (FailFirst.TryDequeue(out var status))
        {
            if (status == 429)
                request.HttpContext.Response.Headers.RetryAfter = "1";
            return Results.StatusCode(status);
        }
        var mail = await JsonDocument.ParseAsync(request.Body);
        var root = mail.RootElement;
        var personalization = root.GetProperty("personalizations")[0];
        var subject = personalization.TryGetProperty("subject", out var s) ? s.GetString()! : root.GetProperty("subject").GetString()!;
        string Content(string type) => root.GetProperty("content").EnumerateArray()
            .Where(c => c.GetProperty("type").GetString() == type).Select(c => c.GetProperty("value").GetString()!).SingleOrDefault() ?? "";
        // Headers may be message-wide or per personalization; SendGrid merges them.
        var headers = new Dictionary<string, string>();
        foreach (var scope in new[] { root, personalization })
        {
            if (scope.TryGetProperty("headers", out var h))
                foreach (var header in h.EnumerateObject())
                    headers[header.Name] = header.Value.GetString()!;
        }
        var categories = root.TryGetProperty("categories", out var c) ? c.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        Sent.Enqueue(new SentEmail(personalization.GetProperty("to")[0].GetProperty("email").GetString()!, subject,
            Content("text/plain"), Content("text/html"), headers, categories));
        return Results.StatusCode(202);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
