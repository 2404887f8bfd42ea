using System.Text.RegularExpressions;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Unit;

/// <summary>
/// The widget's and the console's scripts are ES modules by concern, bundled by esbuild at build
/// time (functions/ServerlessComments.Web's project file). These hold the sources to what the
/// bundles promise: small modules, and no string ever parsed as HTML or code.
/// </summary>
public sealed class ScriptModulesTests
{
    /// <summary>Whatever parses a string as HTML or runs it as code: no module, no bundle may use one.</summary>
    public static readonly string[] HtmlSinks =
    [
        "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
        "createContextualFragment", "DOMParser", "srcdoc", "setHTMLUnsafe", "parseHTMLUnsafe",
    ];

    /// <summary>A served script is the modules' bundle, not a module: a classic &lt;script&gt; would
    /// stop at an import or export. Only the code is read, after the wrapper's strings (whose words
    /// may say "import" and "export").</summary>
    internal static void AssertBundled(string script)
    {
        var strings = script.IndexOf("const STRINGS = ", StringComparison.Ordinal);
        Assert.True(strings >= 0, "the wrapper declares STRINGS");
        var code = script[script.IndexOf('\n', strings)..];
        Assert.DoesNotMatch(@"(^|[;{}\s])(import|export)\s*[{*""']|\bexport\s+(default|const|let|var|function|class)\b", code);
    }

    /// <summary>A module longer than this has more than one concern: split it.</summary>
    private const int MaxLines = 250;

    private static readonly string Web = Path.Combine(Repo.Root, "functions", "ServerlessComments.Web");

    private static List<string> ModuleFiles() =>
        new[] { "Widget", "Console" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Web, folder), "*.js", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(Web, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> Modules() => new(ModuleFiles());

    [Fact]
    public void The_widget_and_the_console_are_split_by_concern()
    {
        var modules = ModuleFiles();
        Assert.Contains("Widget/comments.js", modules);
        Assert.Contains("Console/console.js", modules);
        Assert.True(modules.Count(m => m.StartsWith("Widget/", StringComparison.Ordinal)) >= 8, string.Join(", ", modules));
        Assert.True(modules.Count(m => m.StartsWith("Console/", StringComparison.Ordinal)) >= 10, string.Join(", ", modules));
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void Each_module_is_small_imports_what_it_uses_and_parses_no_string_as_HTML(string module)
    {
        var source = File.ReadAllText(Path.Combine(Web, module));
        var lines = source.Split('\n').Length;
        Assert.True(lines <= MaxLines, $"{module} has {lines} lines (at most {MaxLines}): split it by concern.");
        foreach (var sink in HtmlSinks)
            Assert.DoesNotContain(sink, source);
        // A module imports from its neighbours by relative path (esbuild bundles them); nothing is
        // fetched from another origin or left for the browser to resolve.
        foreach (Match import in Regex.Matches(source, @"^\s*(?:import|export)\b[^;]*?\bfrom\s+""([^""]+)""", RegexOptions.Multiline))
            Assert.StartsWith(".", import.Groups[1].Value);
    }
}
