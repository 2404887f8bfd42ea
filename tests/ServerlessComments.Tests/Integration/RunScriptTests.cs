using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>./run.sh against storage it did not start (the user's own) changes nothing the user
/// did not ask for: no demo data or page, no CORS for every origin, no local outbox.</summary>
[Collection(StorageCollection.Name)]
public sealed class RunScriptTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Against_storage_it_did_not_start_run_sh_loads_no_demo_and_opens_no_cors()
    {
        var port = FreePort.Next();
        var unique = Guid.NewGuid().ToString("N")[..10];
        var start = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "run.sh")])
        {
            WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("Demo__", StringComparison.Ordinal) || k.StartsWith("Cors__", StringComparison.Ordinal) || k.StartsWith("Notifications__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(inherited);
        start.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        start.Environment["PORT"] = port.ToString();
        start.Environment["Storage__CommentTable"] = "runsh" + unique;
        start.Environment["Storage__CommentQueue"] = "runsh-" + unique;
        start.Environment["Storage__NotificationQueue"] = "runsh-n-" + unique;
        start.Environment["Storage__ThreadContainer"] = "runsh-" + unique;
        start.Environment["Admin__ApiKey"] = Api.AdminKey;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var script = ChildProcess.Start(start, output);
        try
        {
            await FreePort.WaitForListenerAsync(port, TimeSpan.FromSeconds(180));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await Eventually.HoldsAsync(async () => (await http.GetAsync("api/health")).IsSuccessStatusCode, "run.sh's self-host to be healthy");

            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("")).StatusCode); // no demo page
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("dev/outbox")).StatusCode);
            var fromElsewhere = new HttpRequestMessage(HttpMethod.Get, "api/health");
            fromElsewhere.Headers.Add("Origin", "https://evil.example");
            Assert.False((await http.SendAsync(fromElsewhere)).Headers.Contains("Access-Control-Allow-Origin"));

            // And no demo data in the user's storage, even after the demo loader would have run.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var demoThread = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "functions", "ServerlessComments.SelfHost", "Demo", "seed-thread.json")))
                .RootElement.GetProperty("page").GetProperty("thread").GetString()!;
            var list = new HttpRequestMessage(HttpMethod.Get, "api/admin/comments?status=pending");
            list.Headers.Authorization = new("Bearer", Api.AdminKey);
            Assert.Empty(JsonDocument.Parse(await (await http.SendAsync(list)).Content.ReadAsStringAsync()).RootElement.GetProperty("comments").EnumerateArray());
            var counts = JsonDocument.Parse(await http.GetStringAsync("api/comments/count?thread=" + Uri.EscapeDataString(demoThread))).RootElement;
            Assert.Equal(0, counts.GetProperty("counts").GetProperty(demoThread).GetInt32());
            Assert.Contains(output, line => line.Contains("Demo__Enabled=true"));
            // The owner's console is there, and the script says where.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/console")).StatusCode);
            Assert.Contains(output, line => line.Contains("Owner's console:") && line.Contains("/api/console"));
        }
        finally
        {
            // run.sh traps TERM and stops the self-host it started; the tree is killed if it does not.
            Process.Start("kill", ["-TERM", script.Id.ToString()])!.WaitForExit();
            if (!script.WaitForExit(20_000))
                script.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// What macOS lacks, run.sh does without: no <c>setsid</c> (Azurite gets its own process group
    /// with <c>set -m</c>), no <c>nc</c>, and ports probed with curl instead of bash's <c>/dev/tcp</c> (a
    /// build option some bashes lack). It starts its own Azurite and the demo, makes the owner's key,
    /// and on TERM stops both.
    /// </summary>
    [Fact]
    public async Task Without_setsid_nc_or_dev_tcp_run_sh_starts_its_own_Azurite_and_the_demo_and_stops_both()
    {
        using var work = new TempFolder();
        var bin = Directory.CreateDirectory(Path.Combine(work.Path, "bin")).FullName;
        // A PATH with every command of this one but setsid and nc.
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Directory.Exists))
        {
            foreach (var command in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(command);
                if (name is "setsid" or "nc" or "netcat" or "ncat" || File.Exists(Path.Combine(bin, name)))
                    continue;
                File.CreateSymbolicLink(Path.Combine(bin, name), command);
            }
        }
        int port = FreePort.Next(), blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        var data = Path.Combine(work.Path, "data");
        var start = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "run.sh")])
        {
            WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase) || k.Contains("__")).ToList())
            start.Environment.Remove(inherited);
        start.Environment["PATH"] = bin;
        start.Environment["RUN_PORT_PROBE"] = "curl";
        start.Environment["PORT"] = port.ToString();
        start.Environment["AZURITE_BLOB_PORT"] = blob.ToString();
        start.Environment["AZURITE_QUEUE_PORT"] = queue.ToString();
        start.Environment["AZURITE_TABLE_PORT"] = table.ToString();
        start.Environment["RUN_DATA"] = data;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var script = ChildProcess.Start(start, output);
        try
        {
            // Either the self-host listens, or run.sh gave up (it exits when a port never opens).
            var listening = FreePort.WaitForListenerAsync(port, TimeSpan.FromSeconds(240));
            if (await Task.WhenAny(listening, script.WaitForExitAsync()) != listening || !listening.IsCompletedSuccessfully)
                throw new InvalidOperationException("run.sh did not start the self-host:\n" + string.Join('\n', output));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await Eventually.HoldsAsync(async () => (await http.GetAsync("api/health")).IsSuccessStatusCode, "run.sh's self-host to be healthy");
            var page = await http.GetAsync("");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the demo blog page: its own storage, so the demo is on
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("dev/outbox")).StatusCode);
            // The owner's key: made with the portable base64 | tr, long enough, one line of letters and digits.
            var key = File.ReadAllText(Path.Combine(data, "admin-key"));
            Assert.Matches("^[A-Za-z0-9]{32,}$", key);
            var list = new HttpRequestMessage(HttpMethod.Get, "api/admin/comments?status=pending");
            list.Headers.Authorization = new("Bearer", key);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(list)).StatusCode);
        }
        finally
        {
            Process.Start("kill", ["-TERM", script.Id.ToString()])!.WaitForExit();
            if (!script.WaitForExit(30_000))
                script.Kill(entireProcessTree: true);
            script.WaitForExit(); // drains the redirected output
        }
        // Stopped means stopped: nothing listens any more, Azurite included (it ran in its own process group).
        Assert.Contains(output, line => line.Contains("Stopped."));
        foreach (var stopped in new[] { port, blob, queue, table })
            Assert.False(await ListensAsync(stopped), $"port {stopped} still listens after run.sh stopped:\n" + string.Join('\n', output));
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sc-runsh-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
