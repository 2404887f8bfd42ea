using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

public static class SharedFiles
{
    /// <summary>A file from ../shared. Absent: a skip with a clear message, except in CI where it is a failure.</summary>
    public static string Path(string relativePath)
    {
        var path = System.IO.Path.Combine(Repo.Shared, relativePath);
        if (!File.Exists(path))
        {
            if (Repo.InCi)
                throw new FileNotFoundException($"CI needs ../shared/{relativePath} beside the repository.", path);
            Assert.Skip($"../shared/{relativePath} is not here; this test needs it.");
        }
        return path;
    }
}
