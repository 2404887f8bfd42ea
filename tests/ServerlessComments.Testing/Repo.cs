namespace ServerlessComments.Testing;

/// <summary>Where things are: the repository, its build outputs, and ../shared.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever the running assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string ProjectOutput(string project) =>
        Path.Combine(Root, "functions", project, "bin", Configuration, "net10.0");

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
