using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using ServerlessComments.Comments;
using ServerlessComments.Formatting;

namespace ServerlessComments.Tests.Unit;

/// <summary>
/// The CommonMark spec's own examples (spec.txt of the npm package <c>commonmark-spec</c>, 0.31.2,
/// CC BY-SA 4.0, by John MacFarlane; read from .tools/node_modules, not copied here) for the
/// constructs comments allow, through the whole path: Markdig, the sanitizer, the nodes. The
/// spec's expected HTML is read into nodes the same way, after the house rules that change
/// it on purpose (<see cref="HouseRules"/>); the examples that still differ are listed, each
/// with its reason (<see cref="Divergences"/>), and must still differ.
/// </summary>
public sealed class CommonMarkSpecTests(ITestOutputHelper output)
{
    /// <summary>The spec's sections for what comments allow.</summary>
    private static readonly string[] Sections =
    [
        "Paragraphs", "Block quotes", "List items", "Lists", "Indented code blocks", "Fenced code blocks", "Code spans",
        "Emphasis and strong emphasis", "Links", "Autolinks", "Hard line breaks", "Soft line breaks",
    ];

    private const string Headings = "headings are not allowed: the text stays as typed";
    private const string RawHtml = "raw HTML is not allowed: it shows as the text typed";
    private const string BareUrls = "bare web addresses become links (Markdig's autolinks extension), which the spec's core does not do";

    /// <summary>Examples that differ from the spec on purpose, by number.</summary>
    private static readonly Dictionary<int, string> Divergences = new()
    {
        [115] = Headings, [141] = Headings, [228] = Headings, [229] = Headings, [230] = Headings, [232] = Headings,
        [300] = Headings, [646] = Headings, [647] = Headings,
        [308] = RawHtml, [309] = RawHtml, [344] = RawHtml, [475] = RawHtml, [476] = RawHtml, [477] = RawHtml,
        [491] = RawHtml, [494] = RawHtml, [524] = RawHtml, [536] = RawHtml, [642] = RawHtml, [643] = RawHtml,
        [608] = BareUrls, [611] = BareUrls,
    };

    /// <summary>What the allow-list does to any HTML, applied to the spec's expected HTML: links
    /// to anything but an absolute http(s) or mailto address lose their link (their text stays),
    /// an image becomes its description, code blocks lose their language class.</summary>
    private static string HouseRules(string html)
    {
        using var document = new HtmlParser().ParseDocument("<!doctype html><body>" + html);
        foreach (var image in document.QuerySelectorAll("img").ToList())
            image.Replace(document.CreateTextNode(image.GetAttribute("alt") ?? ""));
        foreach (var link in document.QuerySelectorAll("a").ToList())
            if (link.GetAttribute("href") is not { } href || !CommentMarkdown.IsSafeLink(href))
                link.Replace(link.ChildNodes.ToArray());
        foreach (var code in document.QuerySelectorAll("code[class]"))
            code.RemoveAttribute("class");
        return document.Body!.InnerHtml;
    }

    /// <summary>True when the (ruled) expected HTML has only what comments allow.</summary>
    private static bool OnlyAllowed(string html)
    {
        using var document = new HtmlParser().ParseDocument("<!doctype html><body>" + html);
        return document.Body!.QuerySelectorAll("*").All(e =>
            CommentMarkdown.AllowedTags.TryGetValue(e.LocalName, out var allowed) && e.Attributes.All(a => allowed.Contains(a.Name)));
    }

    private sealed record Example(int Number, string Section, string Markdown, string Html);

    private static List<Example> Examples()
    {
        var spec = File.ReadAllText(CommentMarkdownTests.NpmFile("commonmark-spec/spec.txt")).ReplaceLineEndings("\n");
        spec = Regex.Replace(spec, @"^<!-- END TESTS -->[\s\S]*", "", RegexOptions.Multiline);
        var examples = new List<Example>();
        var section = "";
        foreach (Match m in Regex.Matches(spec, @"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$", RegexOptions.Multiline))
        {
            if (m.Groups[3].Success)
                section = m.Groups[3].Value.Trim();
            else
                examples.Add(new(examples.Count + 1, section, m.Groups[1].Value.Replace('→', '\t'), m.Groups[2].Value.Replace('→', '\t')));
        }
        return examples;
    }

    [Fact]
    public void The_spec_examples_of_the_allowed_constructs_render_as_specified()
    {
        var all = Examples();
        Assert.Equal(652, all.Count); // spec 0.31.2
        var run = all.Where(e => Sections.Contains(e.Section)).ToList();
        var unexpected = new List<string>();
        var same = 0;
        foreach (var example in run)
        {
            var actual = Json(CommentMarkdown.Nodes(CommentMarkdown.Html(example.Markdown)));
            var ruled = HouseRules(example.Html);
            var expected = OnlyAllowed(ruled) ? Json(CommentMarkdown.Nodes(ruled)) : null;
            var listed = Divergences.TryGetValue(example.Number, out var reason);
            if (expected == actual)
            {
                same++;
                if (listed)
                    unexpected.Add($"#{example.Number} is listed ({reason}) but renders as specified");
            }
            else if (!listed)
                unexpected.Add($"#{example.Number} ({example.Section}) {JsonSerializer.Serialize(example.Markdown)}\n  spec: {expected ?? "(not allowed) " + ruled}\n  ours: {actual}");
        }
        output.WriteLine($"{run.Count} examples in {Sections.Length} sections: {same} as specified, {run.Count - same} listed divergences:");
        foreach (var group in Divergences.GroupBy(d => d.Value))
            output.WriteLine($"  {group.Count()}: {group.Key} (#{string.Join(", #", group.Select(d => d.Key))})");
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }

    private static string Json(IReadOnlyList<MarkupNode>? nodes) => JsonSerializer.Serialize(nodes ?? [], CommentJson.Options);
}
