using System.Text.RegularExpressions;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Unit;

/// <summary>The shape of the code: a core that knows nothing of Azure, SendGrid, Akismet's HTTP,
/// ASP.NET Core or OpenTelemetry, adapters that know nothing of the web, and no namespace cycles anywhere.</summary>
public partial class ArchitectureTests
{
    [Theory]
    [InlineData(typeof(ServerlessComments.Accepting.CommentAcceptance), new[] { "Azure", "SendGrid", "Microsoft.AspNetCore", "Microsoft.Azure", "Microsoft.Extensions.Azure", "OpenTelemetry", "ServerlessComments.Adapters", "ServerlessComments.Web" })]
    [InlineData(typeof(ServerlessComments.Adapters.Tables.TableCommentStore), new[] { "Microsoft.AspNetCore", "Microsoft.Azure", "ServerlessComments.Web" })]
    [InlineData(typeof(ServerlessComments.Web.Api.ApiRoutes), new[] { "Azure", "SendGrid", "Microsoft.Azure", "Microsoft.Extensions.Azure", "ServerlessComments.Adapters" })]
    public void A_layer_references_none_of_what_it_must_not_know(Type layer, string[] forbidden)
    {
        var references = layer.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var known = references.Where(r => forbidden.Any(f => r == f || r.StartsWith(f + ".", StringComparison.Ordinal))).ToList();
        Assert.True(known.Count == 0, $"{layer.Assembly.GetName().Name} references {string.Join(", ", known)}");
    }

    /// <summary>The web edge depends on the core only, not even by way of a package that brings
    /// Azure along: its dependency file (the whole closure the build resolved) names no Azure,
    /// SendGrid or adapter assembly, and its project file references the core and nothing else.</summary>
    [Fact]
    public void The_web_edge_depends_on_the_core_only()
    {
        var depsFile = Path.Combine(Repo.ProjectOutput("ServerlessComments.Web"), "ServerlessComments.Web.deps.json");
        Assert.True(File.Exists(depsFile), $"{depsFile} should exist after building the web edge");
        using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllText(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();
        Assert.Contains("ServerlessComments.Core", libraries);
        string[] forbidden = ["Azure", "SendGrid", "Microsoft.Azure", "Microsoft.Extensions.Azure", "ServerlessComments.Adapters"];
        var azure = libraries.Where(l => forbidden.Any(f => l == f || l.StartsWith(f + ".", StringComparison.Ordinal))).ToList();
        Assert.True(azure.Count == 0, "ServerlessComments.Web depends on " + string.Join(", ", azure));

        var project = System.Xml.Linq.XDocument.Load(Path.Combine(Repo.Root, "functions", "ServerlessComments.Web", "ServerlessComments.Web.csproj"));
        var references = project.Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/'))).ToList();
        Assert.Equal(["ServerlessComments.Core"], references);
    }

    [Fact]
    public void No_namespace_depends_on_itself_through_others()
    {
        // Namespace → the ServerlessComments namespaces its files use.
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "functions"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var text = File.ReadAllText(file);
            var ns = Namespace().Match(text) is { Success: true } m ? m.Groups[1].Value : "(global)";
            var uses = graph.TryGetValue(ns, out var set) ? set : graph[ns] = [];
            foreach (Match use in Using().Matches(text))
                uses.Add(use.Groups[1].Value);
            foreach (Match qualified in Qualified().Matches(text))
                uses.Add(qualified.Groups[1].Value);
            uses.Remove(ns);
        }
        Assert.True(graph.Count > 10, "the source files should be found");

        var cycles = new List<string>();
        foreach (var start in graph.Keys)
        {
            // Depth-first, reporting any path that leads back to the start.
            var stack = new Stack<(string Node, string Path)>([(start, start)]);
            var seen = new HashSet<string>();
            while (stack.Count > 0)
            {
                var (node, path) = stack.Pop();
                foreach (var next in graph.GetValueOrDefault(node) ?? [])
                {
                    if (next == start)
                        cycles.Add(path + " → " + start);
                    else if (graph.ContainsKey(next) && seen.Add(next))
                        stack.Push((next, path + " → " + next));
                }
            }
        }
        Assert.True(cycles.Count == 0, "namespace cycles:\n" + string.Join("\n", cycles.Distinct()));
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using\s+(ServerlessComments(?:\.\w+)*)\s*;", RegexOptions.Multiline)]
    private static partial Regex Using();

    // Fully qualified uses in code, e.g. Owner.OwnerDecisions.Approve or ServerlessComments.Texts.Strings.
    [GeneratedRegex(@"\b(ServerlessComments\.(?:Adapters\.|Web\.)?[A-Z]\w+)\.[A-Z]\w*")]
    private static partial Regex Qualified();
}
