using System.Diagnostics;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Unit;

/// <summary>Every shell script of the repository is shellcheck-clean: the portability traps it
/// knows (bashisms under sh, unquoted expansions, masked exit codes) are what breaks a script on
/// another machine's shell.</summary>
public sealed class ShellScriptTests
{
    private static readonly string[] Skipped = ["node_modules", "bin", "obj", ".git", ".data"];

    [Fact]
    public async Task Every_shell_script_is_shellcheck_clean()
    {
        var scripts = ShellScripts(Repo.Root).ToList();
        // Not vacuous: the scripts users run are among them.
        Assert.Contains(Path.Combine(Repo.Root, "run.sh"), scripts);
        Assert.Contains(Path.Combine(Repo.Root, "test.sh"), scripts);
        Assert.Contains(Path.Combine(Repo.Root, ".ci", "run"), scripts);

        var start = new ProcessStartInfo("shellcheck") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        start.ArgumentList.Add("--format=gcc");
        foreach (var script in scripts)
            start.ArgumentList.Add(Path.GetRelativePath(Repo.Root, script));
        Process? process = null;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception) when (!Repo.InCi)
        {
            Assert.Skip("shellcheck is not installed: ./test.sh installs it (apt-get install -y shellcheck).");
        }
        using (process)
        {
            var stderr = process!.StandardError.ReadToEndAsync();
            var findings = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"shellcheck found:\n{findings}{await stderr}");
        }
    }

    /// <summary>Files named *.sh, and files whose first line is a #! naming a shell.</summary>
    private static IEnumerable<string> ShellScripts(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (file.EndsWith(".sh", StringComparison.Ordinal))
            {
                yield return file;
                continue;
            }
            using var reader = new StreamReader(file);
            var first = reader.ReadLine() ?? "";
            if (!first.StartsWith("#!", StringComparison.Ordinal))
                continue;
            var words = first[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var interpreter = words.Length == 0 ? "" : Path.GetFileName(words[0]) == "env" && words.Length > 1 ? words[1] : Path.GetFileName(words[0]);
            if (interpreter is "sh" or "bash" or "dash" or "ksh")
                yield return file;
        }
        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            if (Skipped.Contains(Path.GetFileName(sub)))
                continue;
            foreach (var file in ShellScripts(sub))
                yield return file;
        }
    }
}
