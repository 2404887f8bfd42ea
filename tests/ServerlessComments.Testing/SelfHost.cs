using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ServerlessComments.Testing;

/// <summary>
/// The self-host as users run it: its built dll in its own process, serving real HTTP on a free
/// loopback port, over the test's Azurite. Each instance has its own queue and table, so tests
/// never share messages. Stopped by its PID.
/// </summary>
public sealed class SelfHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly Dictionary<string, string> _environment;

    public HttpClient Http { get; }
    public Uri BaseAddress { get; }
    public TableClient Table { get; }
    public QueueClient Queue { get; }
    public QueueClient PoisonQueue { get; }
    public QueueClient NotificationQueue { get; }
    public QueueClient NotificationPoisonQueue { get; }
    public string OutboxPath => _environment["Notifications__OutboxPath"];
    public string ThreadContainer => _environment["Storage__ThreadContainer"];
    public string Log => string.Join('\n', _output);
    public int ProcessId => _process.Id;

    private SelfHost(Process process, ConcurrentQueue<string> output, Dictionary<string, string> environment, Uri baseAddress, string storage)
    {
        _process = process;
        _output = output;
        _environment = environment;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Table = new TableClient(storage, environment["Storage__CommentTable"]);
        var encoding = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Queue = new QueueClient(storage, environment["Storage__CommentQueue"], encoding);
        PoisonQueue = new QueueClient(storage, environment["Storage__CommentQueue"] + "-poison", encoding);
        NotificationQueue = new QueueClient(storage, environment["Storage__NotificationQueue"], encoding);
        NotificationPoisonQueue = new QueueClient(storage, environment["Storage__NotificationQueue"] + "-poison", encoding);
    }

    /// <summary>In a setting's value, stands for this host's own address (http://127.0.0.1:port).</summary>
    public const string SelfAddress = "{self}";

    /// <param name="storage">The AzureWebJobsStorage connection string.</param>
    /// <param name="settings">Extra settings, as environment variables (Section__Key).</param>
    public static async Task<SelfHost> StartAsync(string storage, IReadOnlyDictionary<string, string>? settings = null, bool waitUntilHealthy = true)
    {
        var port = FreePort.Next();
        var unique = Guid.NewGuid().ToString("N")[..12];
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Storage__CommentQueue"] = "comments-" + unique,
            ["Storage__CommentTable"] = "comments" + unique,
            ["Storage__NotificationQueue"] = "notifications-" + unique,
            ["Storage__ThreadContainer"] = "threads-" + unique,
            // Emails go to a local outbox the tests read (as under ./run.sh); tests of email being off turn it off.
            ["Notifications__Outbox"] = "true",
            ["Notifications__OutboxPath"] = Path.Combine(Path.GetTempPath(), "serverlesscomments-outbox-" + unique),
            // Fast polling and immediate retries, so tests see retries and poison in seconds.
            ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.200",
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00",
            // Tests that are not about moderation see every comment published at once, and post
            // many comments from one address; the moderation tests turn these back on.
            ["Moderation__Mode"] = "none",
            ["Spam__FloodSeconds"] = "0",
            // Off by default here, on in the product: hundreds of tests (and other branches' new ones) post
            // comments directly; the challenge's own tests turn it on (Challenge__On=true).
            ["Challenge__On"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__ServerlessComments"] = "Information",
        };
        // A setting may name the host's own address, unknown until the port is chosen: {self}.
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value.Replace(SelfAddress, $"http://127.0.0.1:{port}", StringComparison.Ordinal);

        var process = Launch(environment, ["--urls", $"http://127.0.0.1:{port}"], out var output);
        var host = new SelfHost(process, output, environment, new Uri($"http://127.0.0.1:{port}/"), storage);
        try
        {
            await FreePort.WaitForListenerAsync(port, TimeSpan.FromSeconds(60));
            if (waitUntilHealthy)
                await Eventually.HoldsAsync(async () => (await host.Http.GetAsync("api/health")).IsSuccessStatusCode, "the self-host to be healthy");
        }
        catch
        {
            var log = host.Log;
            await host.DisposeAsync();
            throw new InvalidOperationException("The self-host did not start:\n" + log);
        }
        return host;
    }

    /// <summary>Runs the self-host's dll as a command (e.g. replay-poison) with this host's settings.</summary>
    public Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args) => RunToExitAsync(_environment, args);

    /// <summary>Runs the self-host's dll with these settings until it exits by itself.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Launch(environment, args, out var output);
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The self-host did not exit:\n" + string.Join('\n', output));
        }
        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, string.Join('\n', output));
    }

    private static Process Launch(IReadOnlyDictionary<string, string> environment, string[] args, out ConcurrentQueue<string> output)
    {
        var dll = Path.Combine(Repo.ProjectOutput("ServerlessComments.SelfHost"), "ServerlessComments.SelfHost.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"The self-host is not built at {dll}.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Only the settings given here: never a storage account from the developer's own shell.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(inherited);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var lines = new ConcurrentQueue<string>();
        var process = ChildProcess.Start(start, lines);
        output = lines;
        return process;
    }

    public async Task<System.Text.Json.JsonElement> GetThreadAsync(string thread)
    {
        var response = await Http.GetAsync("api/comments?thread=" + Uri.EscapeDataString(thread));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        if (Directory.Exists(OutboxPath))
            Directory.Delete(OutboxPath, recursive: true);
    }
}
