using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>
/// A stand-in for Gravatar's image service on a loopback port, following its published URL
/// contract: <c>GET /avatar/{hash}?s={size}&amp;d={default}</c>, the hash being the SHA-256 (or MD5)
/// of the trimmed, lower-cased address; with <c>d=404</c> an address without a picture answers 404.
/// <see cref="Pictures"/> holds who has one.
/// </summary>
public sealed class FakeGravatar : IAsyncDisposable
{
    private WebApplication _app = null!;

    /// <summary>A 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    public Uri BaseUrl { get; private init; } = null!;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
    public ConcurrentDictionary<string, byte[]> Pictures { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<string> Requests { get; } = new();

    public static Task<FakeGravatar> StartAsync() => LoopbackServer.StartAsync((app, url) =>
    {
        var fake = new FakeGravatar { BaseUrl = new Uri(url, "/avatar/"), _app = app };
        app.MapGet("/avatar/{hash}", (string hash, HttpRequest request) =>
        {
            fake.Requests.Enqueue(request.Path + request.QueryString);
            if (fake.Pictures.TryGetValue(hash, out var png))
                return Results.Bytes(png, "image/png");
            return request.Query["d"] == "404" ? Results.NotFound() : Results.Bytes(Png, "image/png");
        });
        return fake;
    });
}
