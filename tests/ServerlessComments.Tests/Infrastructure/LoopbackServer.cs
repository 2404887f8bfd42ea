using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>What the tests' stand-ins (Akismet, SendGrid, a blog) share: a quiet Kestrel on a free
/// loopback port. <paramref name="create"/> makes the stand-in and maps its routes; then it starts.</summary>
public static class LoopbackServer
{
    public static async Task<T> StartAsync<T>(Func<WebApplication, Uri, T> create)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = create(app, new Uri($"http://127.0.0.1:{port}"));
        await app.StartAsync();
        return server;
    }
}
