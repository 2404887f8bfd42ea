using System.Diagnostics;
using System.Reflection;

namespace ServerlessComments.Deployment.Tests.Infrastructure;

/// <summary>The Bicep CLI restored from the NuGet package Azure.Bicep.CommandLine.linux-x64.</summary>
public static class BicepCli
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Everything the CLI printed besides a command's --stdout result: its diagnostics.</summary>
        public string Diagnostics => StandardError.Trim();
    }

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string InfraFolder => Path.Combine(RepositoryRoot, "infra");

    public static string ExecutablePath { get; } = Path.GetFullPath(Metadata("BicepPath").Replace('\\', '/'));

    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        if (!File.Exists(ExecutablePath))
            throw new FileNotFoundException($"The Bicep CLI is not at {ExecutablePath}: restore the test project (dotnet restore).");
        EnsureExecutable();
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // No telemetry from tests, and no variable of the machine the tests run on reaches a .bicepparam.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["AZURE_BICEP_TELEMETRY_OPT_OUT"] = "true";
        foreach (var name in BicepParamVariables)
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 3 minutes.");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>A copy of infra/ in a new temporary folder, for commands that write beside their
    /// input or for tests that break a template on purpose.</summary>
    public static DirectoryInfo CopyInfra(string prefix)
    {
        var copy = Directory.CreateTempSubdirectory(prefix);
        foreach (var file in Directory.EnumerateFiles(InfraFolder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.FullName, Path.GetRelativePath(InfraFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    /// <summary>The variables infra/main.bicepparam reads.</summary>
    public static readonly string[] BicepParamVariables =
    [
        "AZURE_ENV_NAME", "BLOG_URL", "BLOG_NAME", "BLOG_LANGUAGE", "OWNER_EMAIL", "FROM_EMAIL", "FROM_NAME",
        "ALLOWED_ORIGINS", "MODERATION_MODE", "INSTANCE_MEMORY_MB", "MAXIMUM_INSTANCE_COUNT",
        "ADMIN_API_KEY", "LINK_SIGNING_KEY", "SENDGRID_API_KEY", "AKISMET_API_KEY",
        "EMAIL_PROVIDER", "SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_SECURITY", "SMTP_PASSWORD",
        "ALERT_EMAIL", "MONTHLY_BUDGET", "BUDGET_START_DATE", "FAILURE_RATE_PERCENT", "PUBLIC_VIEWS",
    ];

    private static void EnsureExecutable()
    {
        if (OperatingSystem.IsWindows())
            return;
        var mode = File.GetUnixFileMode(ExecutablePath);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(ExecutablePath, mode | UnixFileMode.UserExecute);
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} in the test assembly's metadata.");
}
