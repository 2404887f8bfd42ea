namespace ServerlessComments.Tests.Infrastructure;

/// <summary>Where things are: the repository, its build outputs, and ../shared.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ProjectOutput(string project) =>
        Path.Combine(Root, "functions", project, "bin", Configuration, "net10.0");

    /// <summary>A file from ../shared. Absent: a skip with a clear message, except in CI where it is a failure.</summary>
    public static string SharedFile(string relativePath)
    {
        var path = Path.Combine(Shared, relativePath);
        if (!File.Exists(path))
        {
            if (InCi)
                throw new FileNotFoundException($"CI needs ../shared/{relativePath} beside the repository.", path);
            throw new SkipException($"../shared/{relativePath} is not here; this test needs it.");
        }
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessComments.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (ServerlessComments.sln) above " + AppContext.BaseDirectory);
    }
}
