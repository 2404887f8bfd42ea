using System.Diagnostics;
using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>azd's preprovision hooks (azure.yaml): what they keep in the azd environment, once, and
/// that the Windows one needs nothing newer than Windows PowerShell 5.1.</summary>
public sealed class HookTests
{
    [Fact]
    public void The_sh_hook_keeps_the_budgets_start_month_and_the_keys_once_per_environment()
    {
        var (first, _) = RunShHook(new Dictionary<string, string>());
        var sets = first.Select(l => l.Split(' ')).Where(a => a is ["env", "set", _, _]).ToDictionary(a => a[2], a => a[3]);
        Assert.Equal(["ADMIN_API_KEY", "BUDGET_START_DATE", "LINK_SIGNING_KEY"], sets.Keys.Order());
        Assert.Matches("^[0-9a-f]{64}$", sets["ADMIN_API_KEY"]);
        Assert.Matches("^[0-9a-f]{64}$", sets["LINK_SIGNING_KEY"]);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM") + "-01", sets["BUDGET_START_DATE"]);

        // Provisioning again sends the same values: nothing is made twice.
        var (again, _) = RunShHook(sets);
        Assert.Empty(again);
    }

    [Fact]
    public void The_windows_hook_runs_on_windows_powershell_5_1()
    {
        // Nothing PowerShell 7 added: Convert.ToHexString and the static RandomNumberGenerator.GetBytes
        // are .NET 5+, the operators ?? ?. && || and the ternary are PowerShell 7's. Windows PowerShell
        // reads a file without a byte-order mark in the system's ANSI code page: ASCII only.
        var path = Path.Combine(BicepCli.InfraFolder, "scripts", "preprovision.ps1");
        var bytes = File.ReadAllBytes(path);
        Assert.All(bytes, b => Assert.True(b < 0x80, "preprovision.ps1 must be ASCII"));
        var code = string.Join('\n', File.ReadLines(path).Where(l => !l.TrimStart().StartsWith('#')));
        Assert.DoesNotContain("ToHexString", code);
        Assert.DoesNotMatch(@"RandomNumberGenerator\]::GetBytes", code);
        Assert.DoesNotMatch(@"\?\?|\?\.|&&|\|\||\s\?\s", code);
        Assert.Contains("BUDGET_START_DATE", code);
        Assert.Contains("CultureInfo]::InvariantCulture", code);
    }

    /// <summary>Runs preprovision.sh as azd would, with a stand-in azd that records its arguments;
    /// returns those calls and what the script printed.</summary>
    private static (string[] AzdCalls, string Output) RunShHook(IReadOnlyDictionary<string, string> azdEnvironment)
    {
        var folder = Directory.CreateTempSubdirectory("hook-");
        try
        {
            var log = Path.Combine(folder.FullName, "azd.log");
            var azd = Path.Combine(folder.FullName, "azd");
            File.WriteAllText(azd, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$AZD_LOG\"\n");
            if (!OperatingSystem.IsWindows()) // the tests run on Linux (the Bicep CLI is linux-x64)
                File.SetUnixFileMode(azd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = BicepCli.RepositoryRoot };
            start.ArgumentList.Add(Path.Combine(BicepCli.InfraFolder, "scripts", "preprovision.sh"));
            foreach (var name in BicepCli.BicepParamVariables)
                start.Environment.Remove(name);
            start.Environment["PATH"] = $"{folder.FullName}:/usr/bin:/bin";
            start.Environment["AZD_LOG"] = log;
            start.Environment["BLOG_URL"] = "https://blog.example.com/";
            start.Environment["ALLOWED_ORIGINS"] = "https://blog.example.com";
            foreach (var (name, value) in azdEnvironment)
                start.Environment[name] = value;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);
            return (File.Exists(log) ? File.ReadAllLines(log) : [], output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
