using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;
using Markdig.Parsers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ServerlessComments.Formatting;

/// <summary>
/// A comment's text as a Markdown subset: paragraphs, line breaks, emphasis, strong, inline code
/// and code blocks, quotes, lists and links (bare web addresses become links). No raw HTML, no
/// images (an image shows its description), no headings. A thematic break (<c>---</c>) stays a
/// rule: Markdig's list parser makes them even without the block parser, and a line is harmless. Markdig renders it, an
/// allow-list sanitizer cleans that HTML, and what is left becomes <see cref="MarkupNode"/>s,
/// checked against the same allow-list once more, so that a bug in either library cannot reach
/// a reader as markup. The text as typed stays the source of truth; this is only how it is shown.
/// </summary>
/// <remarks>Pure and thread-safe (one pipeline and one configured sanitizer, only read).</remarks>
public static class CommentMarkdown
{
    /// <summary>The only elements a formatted comment has, each with the only attributes it may
    /// carry. The widget holds the same list (Widget/comments/markdown.js; a test compares them).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedTags = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["p"] = [], ["br"] = [], ["em"] = [], ["strong"] = [], ["code"] = [], ["pre"] = [],
        ["blockquote"] = [], ["ul"] = [], ["ol"] = ["start"], ["li"] = [], ["a"] = ["href", "title"], ["hr"] = [],
    };

    /// <summary>Every link has these, set by whoever builds the element (not carried in the view).</summary>
    public const string LinkRel = "nofollow ugc noopener";

    /// <summary>Elements nested deeper than this leave the comment as plain text: the view's JSON
    /// (nested replies and all) must stay within the serializer's depth, and nobody quotes a
    /// quote in a list in a quote ten times over in earnest.</summary>
    public const int MaxDepth = 10;

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal) { "p", "pre", "blockquote", "ul", "ol", "li", "hr" };

    private static readonly MarkdownPipeline Pipeline = BuildPipeline();
    private static readonly HtmlSanitizer Sanitizer = BuildSanitizer();

    private static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder()
            // Raw HTML is shown as the text it is.
            .DisableHtml()
            // Bare http(s) and www. addresses become links, as readers expect of a comment.
            .UseAutoLinks(new Markdig.Extensions.AutoLinks.AutoLinkOptions { UseHttpsForWWWLinks = true });
        // Markdig's own guard, far above ours: its parser and renderer stop there, and we stop sooner.
        builder.MaximumNestingDepth = 32;
        // No headings (ATX or setext): a comment is not a page; their Markdown stays as typed.
        builder.BlockParsers.TryRemove<HeadingBlockParser>();
        builder.BlockParsers.Find<ParagraphBlockParser>()!.ParseSetextHeadings = false;
        return builder.Build();
    }

    private static HtmlSanitizer BuildSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Clear();
        sanitizer.AllowedTags.UnionWith(AllowedTags.Keys);
        sanitizer.AllowedAttributes.Clear();
        sanitizer.AllowedAttributes.UnionWith(AllowedTags.Values.SelectMany(a => a));
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        sanitizer.UriAttributes.Clear();
        sanitizer.UriAttributes.Add("href");
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedAtRules.Clear();
        sanitizer.AllowedClasses.Clear();
        sanitizer.AllowDataAttributes = false;
        // An element it removes keeps its text: nothing the reader typed disappears.
        sanitizer.KeepChildNodes = true;
        return sanitizer;
    }

    /// <summary>The comment's formatted text, or null when it has no Markdown (plain text shows
    /// as it always did: the widget renders the text itself) or cannot be formatted within the limits.</summary>
    public static IReadOnlyList<MarkupNode>? Render(string text) =>
        string.IsNullOrWhiteSpace(text) || !MayHaveMarkdown(text) ? null : RenderFully(text);

    /// <summary><see cref="Render"/> without its shortcut for plain text. Internal for the tests.</summary>
    internal static IReadOnlyList<MarkupNode>? RenderFully(string text)
    {
        var nodes = Nodes(Html(text));
        return nodes is null || IsPlain(nodes, text) ? null : nodes;
    }

    private static readonly System.Buffers.SearchValues<char> Marks = System.Buffers.SearchValues.Create("*_`[]<>!\\&~|\r\t");

    /// <summary>False only when the text certainly renders as its own plain paragraphs: none of
    /// Markdown's marks, no address to link, and no line that starts a block or that Markdown
    /// would trim. Most comments are such text; they skip the renderer and the sanitizer (a test
    /// holds this shortcut to the full path over every sample text).</summary>
    internal static bool MayHaveMarkdown(string text)
    {
        if (text.AsSpan().ContainsAny(Marks) || text.Contains("://", StringComparison.Ordinal) ||
            text.Contains("www.", StringComparison.OrdinalIgnoreCase) || text.Contains("mailto:", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("\n\n\n", StringComparison.Ordinal))
            return true;
        // Other spaces and line separators: Markdown and .NET trim and split them differently.
        foreach (var c in text)
            if (c != ' ' && c != '\n' && char.IsWhiteSpace(c))
                return true;
        foreach (var line in text.Trim().Split('\n'))
        {
            if (line.Length == 0)
                continue;
            if (char.IsWhiteSpace(line[0]) || char.IsWhiteSpace(line[^1]) || line[0] is '-' or '+' or '=' or '#')
                return true;
            var digits = 0;
            while (digits < line.Length && char.IsAsciiDigit(line[digits]))
                digits++;
            if (digits > 0 && digits < line.Length && line[digits] is '.' or ')')
                return true;
        }
        return false;
    }

    /// <summary>Markdig's HTML for the text, images turned into their description. Internal for the tests.</summary>
    internal static string? Html(string text)
    {
        try
        {
            var document = Markdown.Parse(text, Pipeline);
            if (Depth(document) > MaxDepth + 2)
                return null;
            foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage).ToList())
            {
                // No images: nothing is fetched from elsewhere when a thread is read. Its description stays.
                while (image.FirstChild is { } child)
                {
                    child.Remove();
                    image.InsertBefore(child);
                }
                image.Remove();
            }
            return document.ToHtml(Pipeline);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Past Markdig's own nesting limit (or any surprise in it): shown as plain text,
            // never a comment lost or a view left unbuilt.
            return null;
        }
    }

    /// <summary>Sanitized HTML as nodes: only allowed elements and attributes, links only to
    /// http(s) and mailto addresses; null when nested deeper than <see cref="MaxDepth"/>. Internal
    /// for the tests, which read the CommonMark spec's expected HTML with it too.</summary>
    internal static List<MarkupNode>? Nodes(string? html)
    {
        if (html is null)
            return null;
        using var document = Sanitizer.SanitizeDom(html, "");
        return Convert(document.Body!, 0);
    }

    private static List<MarkupNode>? Convert(INode parent, int depth)
    {
        var nodes = new List<MarkupNode>();
        var container = parent is IElement { LocalName: var name } && name != "body" ? name : null;
        var blockContainer = container is null or "blockquote" or "ul" or "ol" or "li";
        INode? previous = null;
        foreach (var child in parent.ChildNodes)
        {
            var before = previous;
            previous = child;
            if (child is IText textNode)
            {
                var text = textNode.Data;
                // The line breaks Markdig writes between blocks and after <br> only lay out its
                // HTML; the widget shows text with white-space: pre-line, where they would show.
                if (before is IElement { LocalName: var b } && (b == "br" || Blocks.Contains(b)))
                    text = text.StartsWith('\n') ? text[1..] : text;
                if (child.NextSibling is IElement { LocalName: var n } && Blocks.Contains(n))
                    text = text.TrimEnd('\n');
                if (text.Length == 0 || (blockContainer && string.IsNullOrWhiteSpace(text)))
                    continue;
                if (nodes is [.., { Tag: null } last])
                    nodes[^1] = MarkupNode.OfText(last.Text + text);
                else
                    nodes.Add(MarkupNode.OfText(text));
                continue;
            }
            if (child is not IElement element)
                continue;
            var children = Convert(element, depth + 1);
            if (children is null || depth >= MaxDepth)
                return null;
            var tag = element.LocalName;
            var attributes = new List<KeyValuePair<string, string>>();
            if (AllowedTags.TryGetValue(tag, out var allowed))
            {
                foreach (var attribute in allowed)
                    if (element.GetAttribute(attribute) is { } value && (attribute != "href" || IsSafeLink(value)))
                        attributes.Add(new(attribute, value));
            }
            // Not allowed (the sanitizer removes those; this is the second lock), or a link to
            // anywhere but the web or an address: its content stays, as text.
            if (allowed is null || (tag == "a" && !attributes.Any(a => a.Key == "href")))
            {
                foreach (var node in children)
                {
                    if (node.Tag is null && nodes is [.., { Tag: null } last])
                        nodes[^1] = MarkupNode.OfText(last.Text + node.Text);
                    else
                        nodes.Add(node);
                }
                continue;
            }
            nodes.Add(MarkupNode.Element(tag, attributes, children));
        }
        return nodes;
    }

    /// <summary>An absolute http, https or mailto address, as a browser would take it.</summary>
    public static bool IsSafeLink(string href) =>
        Uri.TryCreate(href.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto";

    /// <summary>Only paragraphs of text that say exactly what was typed: nothing to format.</summary>
    private static bool IsPlain(List<MarkupNode> nodes, string text) =>
        nodes.All(n => n.Tag == "p" && n.Children is [{ Tag: null }]) &&
        string.Join("\n\n", nodes.Select(n => n.Children[0].Text)) == text.Trim().ReplaceLineEndings("\n");

    private static int Depth(MarkdownDocument document)
    {
        var deepest = 0;
        var stack = new Stack<(MarkdownObject Node, int Depth)>([(document, 0)]);
        while (stack.TryPop(out var item))
        {
            deepest = Math.Max(deepest, item.Depth);
            if (item.Node is ContainerBlock blocks)
                foreach (var block in blocks)
                    stack.Push((block, item.Depth + 1));
            else if (item.Node is LeafBlock { Inline: { } inline })
                stack.Push((inline, item.Depth + 1));
            else if (item.Node is ContainerInline inlines)
                foreach (var child in inlines)
                    stack.Push((child, item.Depth + 1));
        }
        return deepest;
    }
}
