namespace ServerlessComments.Tests.Infrastructure;

/// <summary>
/// Where the browser tests find a Chromium: CHROMIUM_PATH when set (and then only there, so a wrong
/// setting is not silently replaced by another browser), else the first of the usual names on the
/// PATH (Debian's chromium, Ubuntu's and WSL's chromium-browser, Chrome), else macOS's app bundles.
/// </summary>
public static class ChromiumLocator
{
    public static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

    public static readonly string[] MacBundles =
    [
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ];

    public static string? Find() => Find(Environment.GetEnvironmentVariable("CHROMIUM_PATH"), Environment.GetEnvironmentVariable("PATH"),
        OperatingSystem.IsMacOS() ? MacBundles : []);

    public static string? Find(string? chromiumPath, string? path, IEnumerable<string> bundles)
    {
        if (!string.IsNullOrEmpty(chromiumPath))
            return IsExecutable(chromiumPath) ? Path.GetFullPath(chromiumPath) : null;
        var folders = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in Names)
        {
            foreach (var folder in folders)
            {
                var candidate = Path.Combine(folder, name);
                if (IsExecutable(candidate))
                    return candidate;
            }
        }
        return bundles.FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
