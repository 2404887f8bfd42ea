namespace ServerlessComments.SelfHost;

/// <summary>
/// <c>ServerlessComments.SelfHost health [--url URL]</c>: asks a running self-host's
/// <c>/api/health</c> and exits 0 when it answers 200, 1 otherwise. It is the container's health
/// check: the chiseled image has no shell, curl or wget, only this binary. Without <c>--url</c> it
/// asks this machine on the port the server listens on (<c>ASPNETCORE_HTTP_PORTS</c>, as in the image).
/// </summary>
public static class HealthCommand
{
    public const string Name = "health";

    /// <summary>The image's port, when ASPNETCORE_HTTP_PORTS is not set.</summary>
    private const int DefaultPort = 8080;

    internal static async Task<int> RunAsync(VerbArgs args)
    {
        var url = args.Get("url") ?? DefaultUrl(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url must be an absolute http(s) URL: '{url}'.");
        // A health check that hangs is worse than one that fails: the orchestrator's own timeout
        // would kill it without a word.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(uri);
            if (response.IsSuccessStatusCode)
            {
                Console.Out.WriteLine($"healthy: {uri}");
                return 0;
            }
            var body = await response.Content.ReadAsStringAsync();
            Console.Error.WriteLine($"unhealthy: {uri} answered {(int)response.StatusCode} {body[..Math.Min(body.Length, 2000)]}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"unhealthy: {uri} did not answer ({e.Message})");
        }
        return 1;
    }

    /// <summary>Loopback on the first of ASPNETCORE_HTTP_PORTS (a list separated by ';'), else 8080.</summary>
    internal static string DefaultUrl(string? httpPorts)
    {
        var first = (httpPorts ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var port = int.TryParse(first, out var p) && p is > 0 and < 65536 ? p : DefaultPort;
        return $"http://127.0.0.1:{port}/api/health";
    }
}
