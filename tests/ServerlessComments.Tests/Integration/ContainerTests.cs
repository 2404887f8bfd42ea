using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The self-host's <c>health</c> verb: the container's health check (the chiseled image has
/// no curl), so its exit code is what an orchestrator acts on.</summary>
[Collection(StorageCollection.Name)]
public sealed class HealthVerbTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_exits_0_for_a_healthy_server_and_1_when_nothing_answers()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString);

        var (healthy, output) = await SelfHost.RunToExitAsync(new Dictionary<string, string>(), "health", "--url", new Uri(host.BaseAddress, "api/health").ToString());
        Assert.True(healthy == 0, output);

        // Without --url: loopback on ASPNETCORE_HTTP_PORTS, as the image sets it.
        var (byPort, portOutput) = await SelfHost.RunToExitAsync(
            new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = host.BaseAddress.Port.ToString() }, "health");
        Assert.True(byPort == 0, portOutput);

        var (down, downOutput) = await SelfHost.RunToExitAsync(new Dictionary<string, string>(), "health", "--url", $"http://127.0.0.1:{FreePort.Next()}/api/health");
        Assert.Equal(1, down);
        Assert.Contains("unhealthy", downOutput);
    }

    [Fact]
    public async Task Health_exits_1_when_the_server_answers_503_and_2_for_a_bad_url()
    {
        var (code, output) = await SelfHost.RunToExitAsync(new Dictionary<string, string>(), "health", "--url", "not a url");
        Assert.Equal(2, code); // a usage error, not "unhealthy"
        Assert.Contains("--url", output);

        // A server that answers, but not healthy: its storage is gone (nothing listens on these ports).
        var deadStorage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azurite.AccountKey};" +
                          $"BlobEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;" +
                          $"TableEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;";
        await using var host = await SelfHost.StartAsync(deadStorage, waitUntilHealthy: false);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Http.GetAsync("api/health")).StatusCode);
        var (unhealthy, unhealthyOutput) = await SelfHost.RunToExitAsync(new Dictionary<string, string>(), "health", "--url", new Uri(host.BaseAddress, "api/health").ToString());
        Assert.Equal(1, unhealthy);
        Assert.Contains("503", unhealthyOutput);
    }
}

/// <summary>
/// The container image, as `dotnet publish -t:PublishContainer` makes it: its settings as the
/// project declares them, the image itself (an OCI archive, read here), and, where podman runs, the
/// image started over the test's Azurite, serving the demo.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ContainerImageTests(AzuriteFixture azurite, ContainerImageFixture image) : IClassFixture<ContainerImageFixture>
{
    private const string Dll = "/app/ServerlessComments.SelfHost.dll";

    [Fact]
    public async Task The_project_declares_a_non_root_image_on_port_8080_that_runs_the_self_host()
    {
        var (exit, output) = await Run.ToExitAsync("dotnet", TimeSpan.FromMinutes(3), "msbuild", ContainerImageFixture.Project, "-nologo",
            "-t:ComputeContainerConfig", "-getProperty:ContainerUser", "-getProperty:ContainerBaseImage", "-getProperty:ContainerRepository",
            "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariables", "-getItem:ContainerAppCommand");
        Assert.True(exit == 0, output);
        var json = JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement;
        var properties = json.GetProperty("Properties");
        var user = properties.GetProperty("ContainerUser").GetString();
        Assert.True(int.TryParse(user, out var uid) && uid > 0, $"ContainerUser '{user}' is not a non-root UID");
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", properties.GetProperty("ContainerBaseImage").GetString());
        Assert.Contains("chiseled", properties.GetProperty("ContainerBaseImage").GetString());
        Assert.Equal("serverlesscomments", properties.GetProperty("ContainerRepository").GetString());
        var items = json.GetProperty("Items");
        var port = Assert.Single(items.GetProperty("ContainerPort").EnumerateArray());
        Assert.Equal("8080", port.GetProperty("Identity").GetString());
        Assert.Contains(items.GetProperty("ContainerEnvironmentVariables").EnumerateArray(),
            e => e.GetProperty("Identity").GetString() == "ASPNETCORE_HTTP_PORTS" && e.GetProperty("Value").GetString() == "8080");
        Assert.Equal(["dotnet", Dll], items.GetProperty("ContainerAppCommand").EnumerateArray().Select(e => e.GetProperty("Identity").GetString()));
    }

    /// <summary>The command of the compose file's health check: <c>test: ["CMD", …]</c>.</summary>
    private static string[] ComposeHealthCheck()
    {
        var compose = File.ReadAllText(Path.Combine(Repo.Root, "infra", "selfhost", "compose.yaml"));
        var test = System.Text.RegularExpressions.Regex.Match(compose, @"test:\s*\[""CMD"",\s*(?<args>[^\]]+)\]");
        Assert.True(test.Success, "compose.yaml has no CMD health check");
        return test.Groups["args"].Value.Split(',').Select(a => a.Trim().Trim('"')).ToArray();
    }

    [Fact]
    public void The_compose_file_runs_this_image_on_its_port_and_checks_health_with_the_health_verb()
    {
        var compose = File.ReadAllText(Path.Combine(Repo.Root, "infra", "selfhost", "compose.yaml"));
        Assert.Contains("image: serverlesscomments:latest", compose);
        Assert.Contains("\"127.0.0.1:8080:8080\"", compose);
        Assert.Equal(["dotnet", Dll, "health"], ComposeHealthCheck());
    }

    [Fact]
    public async Task The_image_builds_and_its_config_is_non_root_on_8080_with_the_self_host_as_entrypoint()
    {
        var built = await image.BuildAsync();
        var config = built.Config.GetProperty("config");
        Assert.Equal("1654", config.GetProperty("User").GetString());
        Assert.Equal(["8080/tcp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["dotnet", Dll], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app/", config.GetProperty("WorkingDir").GetString());
        // The app's layer: the self-host and the host.json both hosts read, and no local data or keys.
        Assert.Contains("app/ServerlessComments.SelfHost.dll", built.AppLayerFiles);
        Assert.Contains("app/host.json", built.AppLayerFiles);
        Assert.DoesNotContain(built.AppLayerFiles, f => f.Contains(".data/") || f.EndsWith("admin-key") || f.Contains("local.settings"));
    }

    [Fact]
    public async Task Under_podman_the_image_starts_serves_the_demo_and_its_health_check_passes()
    {
        var built = await image.BuildAsync();
        Assert.SkipUnless(await ContainerImageFixture.PodmanRunsAsync(), "podman is not installed or cannot run containers here.");
        var (loaded, loadOutput) = await Run.ToExitAsync("podman", TimeSpan.FromMinutes(3), "load", "-i", built.Archive);
        Assert.True(loaded == 0, loadOutput);
        var port = FreePort.Next();
        // Host networking: the container reaches the test's Azurite on loopback, and listens on a free port.
        var (started, id) = await Run.ToExitAsync("podman", TimeSpan.FromMinutes(1), "run", "-d", "--rm", "--network", "host",
            "-e", "AzureWebJobsStorage=" + azurite.ConnectionString, "-e", $"ASPNETCORE_HTTP_PORTS={port}",
            "-e", "Demo__Enabled=true", "-e", "Admin__ApiKey=" + Api.AdminKey,
            "-e", "Storage__CommentTable=ctr" + built.Tag.Replace("-", ""), "-e", "Storage__ThreadContainer=ctr-" + built.Tag,
            "-e", "Storage__CommentQueue=ctr-" + built.Tag, "-e", "Storage__NotificationQueue=ctr-n-" + built.Tag,
            built.Reference);
        Assert.True(started == 0, id);
        id = id.Trim().Split('\n')[^1];
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.HoldsAsync(async () =>
            {
                try { return (await http.GetAsync("api/health")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
            }, "the container to be healthy", TimeSpan.FromSeconds(90));
            var page = await http.GetAsync("");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("data-comments", await page.Content.ReadAsStringAsync());
            // The health check as infra/selfhost/compose.yaml declares it, run inside the container, as its user.
            var (health, healthOutput) = await Run.ToExitAsync("podman", TimeSpan.FromMinutes(1), ["exec", id, .. ComposeHealthCheck()]);
            Assert.True(health == 0, healthOutput);
            var (_, user) = await Run.ToExitAsync("podman", TimeSpan.FromSeconds(30), "inspect", "--format", "{{.Config.User}}", id);
            Assert.Equal("1654", user.Trim());
        }
        finally
        {
            await Run.ToExitAsync("podman", TimeSpan.FromMinutes(1), "rm", "-f", "-t", "5", id);
        }
    }
}

/// <summary>Builds the image once for the class: an OCI archive in a temporary folder, from its own
/// build output (--artifacts-path), so the repository's bin/ and obj/ are untouched. The base image
/// is the project's (mcr.microsoft.com) or, where that registry is out of reach, the one named by
/// SC_CONTAINER_BASE_IMAGE (e.g. localhost:5000/dotnet/aspnet:10.0 in a local registry).</summary>
public sealed class ContainerImageFixture : IAsyncLifetime
{
    public static string Project => Path.Combine(Repo.Root, "functions", "ServerlessComments.SelfHost", "ServerlessComments.SelfHost.csproj");

    private readonly string _work = Path.Combine(Path.GetTempPath(), "sc-image-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Built? _built;
    private string? _skip;

    public sealed record Built(string Archive, string Tag, string Reference, JsonElement Config, IReadOnlyList<string> AppLayerFiles);

    public async Task<Built> BuildAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_skip is not null)
                Assert.Skip(_skip);
            return _built ??= await BuildOnceAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Built> BuildOnceAsync()
    {
        var baseImage = Environment.GetEnvironmentVariable("SC_CONTAINER_BASE_IMAGE");
        // CI machines may have no route to mcr.microsoft.com either: then the image build is skipped, with its reason.
        if (string.IsNullOrEmpty(baseImage) && !await ReachableAsync("mcr.microsoft.com", 443))
        {
            _skip = "mcr.microsoft.com (the base image's registry) is out of reach, and SC_CONTAINER_BASE_IMAGE names no other base image.";
            Assert.SkipWhen(true, _skip);
        }
        var tag = "test-" + Guid.NewGuid().ToString("N")[..8];
        var archive = Path.Combine(_work, "image.tar.gz");
        List<string> args = ["publish", Project, "-nologo", "-v", "quiet", "-t:PublishContainer", "--artifacts-path", Path.Combine(_work, "artifacts"),
            $"-p:ContainerArchiveOutputPath={archive}", $"-p:ContainerImageTag={tag}"];
        if (!string.IsNullOrEmpty(baseImage))
            args.Add($"-p:ContainerBaseImage={baseImage}");
        var (exit, output) = await Run.ToExitAsync("dotnet", TimeSpan.FromMinutes(10), [.. args]);
        Assert.True(exit == 0 && File.Exists(archive), "dotnet publish -t:PublishContainer failed:\n" + output);
        var (config, files) = ReadImage(archive);
        return new Built(archive, tag, $"docker.io/library/serverlesscomments:{tag}", config, files);
    }

    /// <summary>The image config and the files of its last layer (the app's), read from the archive:
    /// an OCI layout (index.json) or a Docker archive (manifest.json), whichever the SDK wrote.</summary>
    private static (JsonElement Config, IReadOnlyList<string> AppLayerFiles) ReadImage(string archive)
    {
        var entries = new Dictionary<string, byte[]>();
        using (var stream = File.OpenRead(archive))
        using (var tar = new TarReader(IsGzip(archive) ? new GZipStream(stream, CompressionMode.Decompress) : stream))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null)
                    continue;
                using var copy = new MemoryStream();
                entry.DataStream.CopyTo(copy);
                entries[entry.Name.TrimStart('.', '/')] = copy.ToArray();
            }
        }
        string configPath, lastLayer;
        if (entries.TryGetValue("index.json", out var index))
        {
            static string Blob(string digest) => "blobs/" + digest.Replace(':', '/');
            var manifestDigest = JsonDocument.Parse(index).RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
            var manifest = JsonDocument.Parse(entries[Blob(manifestDigest)]).RootElement;
            configPath = Blob(manifest.GetProperty("config").GetProperty("digest").GetString()!);
            lastLayer = Blob(manifest.GetProperty("layers").EnumerateArray().Last().GetProperty("digest").GetString()!);
        }
        else
        {
            var manifest = JsonDocument.Parse(entries["manifest.json"]).RootElement[0];
            configPath = manifest.GetProperty("Config").GetString()!;
            lastLayer = manifest.GetProperty("Layers").EnumerateArray().Last().GetString()!;
        }
        var config = JsonDocument.Parse(entries[configPath]).RootElement.Clone();
        var files = new List<string>();
        var layer = entries[lastLayer];
        Stream layerStream = new MemoryStream(layer);
        if (layer is [0x1f, 0x8b, ..])
            layerStream = new GZipStream(layerStream, CompressionMode.Decompress);
        using (var tar = new TarReader(layerStream))
        {
            while (tar.GetNextEntry() is { } entry)
                files.Add(entry.Name.TrimStart('.', '/'));
        }
        return (config, files);
    }

    private static bool IsGzip(string path)
    {
        using var file = File.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }

    private static async Task<bool> ReachableAsync(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>podman is on the PATH and can start a container (rootful or rootless).</summary>
    public static async Task<bool> PodmanRunsAsync()
    {
        try
        {
            return (await Run.ToExitAsync("podman", TimeSpan.FromMinutes(1), "info")).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_built is not null && await PodmanRunsAsync())
            await Run.ToExitAsync("podman", TimeSpan.FromMinutes(1), "rmi", "-f", _built.Reference);
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }
}

/// <summary>A command run to its end, its standard output and error together; killed (its tree) at the timeout.</summary>
internal static class Run
{
    public static async Task<(int ExitCode, string Output)> ToExitAsync(string file, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end in {timeout}:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
