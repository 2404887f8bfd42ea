using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ServerlessComments.Deployment.Tests.Infrastructure;

/// <summary>
/// The managed identity endpoint App Service and Flex Consumption give an app (IDENTITY_ENDPOINT
/// and IDENTITY_HEADER), on loopback: it issues the token "token-for-&lt;client id&gt;" to whichever
/// user-assigned identity the caller names, and records who asked for what.
/// </summary>
public sealed class FakeManagedIdentityEndpoint : IAsyncDisposable
{
    public sealed record TokenRequest(string? ClientId, string? Resource, string? IdentityHeader);

    public const string Header = "fake-identity-header";
    private readonly HttpListener listener = new();
    private readonly Task serving;

    public FakeManagedIdentityEndpoint()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/msi/token");
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public ConcurrentQueue<TokenRequest> Requests { get; } = new();

    public static string TokenFor(string? clientId) => $"token-for-{clientId}";

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            var query = context.Request.QueryString;
            var clientId = query["client_id"] ?? query["clientid"];
            Requests.Enqueue(new TokenRequest(clientId, query["resource"], context.Request.Headers["X-IDENTITY-HEADER"]));
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
            {
                ["access_token"] = TokenFor(clientId),
                ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(),
                ["resource"] = query["resource"],
                ["token_type"] = "Bearer",
                ["client_id"] = clientId,
            });
            context.Response.ContentType = "application/json";
            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}

/// <summary>An HTTP transport for the storage clients that records each request and answers 404
/// (no retries), and passes anything sent to loopback (the managed identity endpoint) through.</summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    public sealed record Sent(Uri Uri, string? Authorization);

    private static readonly HttpClient Loopback = new();

    public ConcurrentQueue<Sent> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.IsLoopback && request.RequestUri.Scheme == "http")
        {
            var forwarded = new HttpRequestMessage(request.Method, request.RequestUri);
            foreach (var header in request.Headers)
                forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
            return await Loopback.SendAsync(forwarded, cancellationToken);
        }
        Requests.Enqueue(new Sent(request.RequestUri, request.Headers.Authorization?.ToString()));
        // Tables answer errors in JSON, queues in XML.
        var tables = request.RequestUri.Host.Contains("table", StringComparison.OrdinalIgnoreCase);
        return new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = tables
                ? new StringContent("""{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"none"}}}""", Encoding.UTF8, "application/json")
                : new StringContent("""<?xml version="1.0" encoding="utf-8"?><Error><Code>QueueNotFound</Code><Message>none</Message></Error>""", Encoding.UTF8, "application/xml"),
            Headers = { { "x-ms-error-code", tables ? "ResourceNotFound" : "QueueNotFound" } },
        };
    }
}
