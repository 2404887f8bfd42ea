using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Unit;

/// <summary>The browser tests find Chromium where the machine has it (macOS, WSL, other Linuxes), not at Debian's path only.</summary>
public sealed class ChromiumLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sc-chromium-").FullName;

    private string Executable(string folder, string name, bool executable = true)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, folder)).FullName;
        var file = Path.Combine(dir, name);
        File.WriteAllText(file, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, executable ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    [Fact]
    public void CHROMIUM_PATH_wins_and_is_not_replaced_by_another_browser_when_wrong()
    {
        var mine = Executable("opt", "my-chrome");
        var onPath = Executable("bin", "chromium");
        var path = Path.GetDirectoryName(onPath);
        Assert.Equal(mine, ChromiumLocator.Find(mine, path, []));
        Assert.Null(ChromiumLocator.Find(Path.Combine(_root, "missing"), path, []));
    }

    [Fact]
    public void Without_CHROMIUM_PATH_the_PATH_is_searched_in_order_of_folders_then_the_bundles()
    {
        var first = Path.Combine(_root, "first");
        var second = Path.GetDirectoryName(Executable("second", "chromium-browser"))!;
        Executable("first", "google-chrome", executable: false); // not executable: not a browser
        var path = string.Join(Path.PathSeparator, first, second);
        Assert.Equal(Path.Combine(second, "chromium-browser"), ChromiumLocator.Find(null, path, []));

        var bundle = Executable("Chromium.app", "Chromium");
        Assert.Equal(bundle, ChromiumLocator.Find("", first, [Path.Combine(_root, "none"), bundle]));
        Assert.Null(ChromiumLocator.Find(null, first, []));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
