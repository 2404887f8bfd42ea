using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Unit;

/// <summary>The README a newcomer reads stays short, and no page sends them to a file or a
/// section that is not there.</summary>
public sealed partial class DocsTests
{
    [Fact]
    public void The_readme_is_at_most_200_lines()
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "README.md"));
        Assert.InRange(lines.Length, 1, 200);
    }

    [Fact]
    public void Every_relative_link_of_the_readme_and_docs_reaches_a_file_and_its_heading()
    {
        var pages = new[] { "README.md", "CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md", Path.Combine("infra", "README.md") }
            .Select(p => Path.Combine(Repo.Root, p))
            .Concat(Directory.GetFiles(Path.Combine(Repo.Root, "docs"), "*.md"))
            .Where(File.Exists)
            .ToList();
        Assert.Contains(pages, p => p.EndsWith(Path.Combine("docs", "api.md"), StringComparison.Ordinal));

        var broken = new List<string>();
        foreach (var page in pages)
        {
            var text = WithoutCode(File.ReadAllText(page));
            foreach (Match link in MarkdownLink().Matches(text))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                    continue;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var path = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
                var name = Path.GetRelativePath(Repo.Root, page);
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{name}: {target} (no such file)");
                    continue;
                }
                if (anchor is not null && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(path).Contains(anchor))
                    broken.Add($"{name}: {target} (no such heading)");
            }
        }
        Assert.Empty(broken);
    }

    [Fact]
    public void Every_setting_the_app_binds_is_in_the_configuration_page()
    {
        // Every options class names its section in a Section constant; each settable property is
        // a setting, spelled as environment variables spell it.
        var assemblies = new[]
        {
            typeof(ServerlessComments.Threads.ThreadOptions).Assembly,
            typeof(ServerlessComments.Web.Api.NetworkOptions).Assembly,
            Assembly.LoadFrom(Path.Combine(Repo.ProjectOutput("ServerlessComments.SelfHost"), "ServerlessComments.SelfHost.dll")),
        }.Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "ServerlessComments.Adapters")).Distinct();
        var settings = assemblies
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null)
            .SelectMany(t => t.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true })
                .Select(p => $"{t.Section}__{p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name}"))
            .Distinct()
            .ToList();
        Assert.Contains("Threads__PageSize", settings);

        var page = File.ReadAllText(Path.Combine(Repo.Root, "docs", "configuration.md"));
        var documented = SettingName().Matches(page).Select(m => m.Value).ToHashSet();
        Assert.Empty(settings.Where(s => !documented.Contains(s) && !documented.Contains(s.Split("__")[0] + "__*")).Order());
    }

    // GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens.
    private static HashSet<string> Anchors(string page) =>
        WithoutCode(File.ReadAllText(page)).Split('\n')
            .Where(l => l.StartsWith('#'))
            .Select(l => l.TrimStart('#').Trim().ToLowerInvariant())
            .Select(h => HeadingPunctuation().Replace(h, "").Replace(' ', '-'))
            .ToHashSet();

    private static string WithoutCode(string markdown) => CodeBlock().Replace(markdown, "");

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex HeadingPunctuation();

    [GeneratedRegex(@"[A-Z][A-Za-z]+__(?:[A-Z][A-Za-z0-9]*|\*)")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
