using System.Collections.Concurrent;
using System.Diagnostics;

namespace ServerlessComments.Testing;

/// <summary>Starting the tools the tests run (Azurite, Prism, the self-host, run.sh) the same way:
/// found where ./test.sh installs them, and their output always read, so a full pipe never
/// blocks them.</summary>
public static class ChildProcess
{
    /// <summary>An npm tool installed in .tools; a clear error when it is not there.</summary>
    public static string NpmTool(string name)
    {
        var path = Path.Combine(Repo.Root, ".tools", "node_modules", ".bin", name);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{name} is not installed at {path}: run ./test.sh (it runs 'npm ci' in .tools).");
        return path;
    }

    /// <summary>Starts <paramref name="start"/> with its output and errors read line by line into
    /// <paramref name="lines"/>, or dropped when it is null.</summary>
    public static Process Start(ProcessStartInfo start, ConcurrentQueue<string>? lines = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines?.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines?.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
