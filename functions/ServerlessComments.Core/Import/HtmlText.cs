using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ServerlessComments.Import;

/// <summary>
/// Turns the HTML of an imported comment into this product's plain text: paragraphs and
/// <c>&lt;br&gt;</c> become line breaks, entities are decoded, a link keeps its text and its
/// address ("text (https://…)"), every other tag is dropped, and what scripts, styles and
/// embedded objects hold is dropped with them. The result is text: the widget shows it as text
/// nodes, so nothing in it can ever run or render as markup.
/// </summary>
/// <remarks>Parsed by AngleSharp as a browser parses HTML, so malformed or hostile markup is
/// understood the way it would have been shown, not the way a regular expression guesses.
/// Line breaks in the text itself are kept: WordPress stores comments with raw newlines and
/// adds paragraphs only when it shows them.</remarks>
public static class HtmlText
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "head", "title", "textarea", "select", "noembed", "noframes", "xmp",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "section", "article", "hr", "dl", "dt", "dd", "figure", "figcaption",
    };

    public static string ToText(string html)
    {
        if (html.IndexOfAny(['<', '&']) < 0)
            return Tidy(html);
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html);
        var text = new StringBuilder(html.Length);
        Walk(document.Body!, text);
        return Tidy(text.ToString());
    }

    // An explicit stack: nesting in a hostile file is unbounded, the call stack is not.
    private static void Walk(INode root, StringBuilder text)
    {
        var stack = new Stack<(INode Node, bool Closing)>();
        for (var child = root.LastChild; child is not null; child = child.PreviousSibling)
            stack.Push((child, false));
        while (stack.Count > 0)
        {
            var (node, closing) = stack.Pop();
            if (node is IText t)
            {
                text.Append(t.Data);
                continue;
            }
            if (node is not IElement element || Dropped.Contains(element.LocalName))
                continue;
            var name = element.LocalName;
            if (closing)
            {
                if (name == "a" && LinkTarget(element) is { } url && !SameAs(element.TextContent, url))
                    text.Append(element.TextContent.Trim().Length == 0 ? url : " (" + url + ")");
                else if (Blocks.Contains(name))
                    text.Append("\n\n");
                continue;
            }
            if (name == "br")
            {
                text.Append('\n');
                continue;
            }
            if (name == "img" && element.GetAttribute("alt") is { Length: > 0 } alt)
                text.Append(alt);
            if (Blocks.Contains(name))
                text.Append("\n\n");
            stack.Push((node, true));
            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
                stack.Push((child, false));
        }
    }

    /// <summary>The address a link points to, kept only when it is a web or mail address.</summary>
    private static string? LinkTarget(IElement a) =>
        a.GetAttribute("href")?.Trim() is { Length: > 0 } href && Uri.TryCreate(href, UriKind.Absolute, out var uri) &&
        uri.Scheme is "http" or "https" or "mailto" ? href : null;

    private static bool SameAs(string text, string url)
    {
        var t = text.Trim();
        return t == url || "http://" + t == url || "https://" + t == url || "mailto:" + t == url || t.TrimEnd('/') == url.TrimEnd('/');
    }

    /// <summary>Line breaks as <c>\n</c>, no trailing spaces on a line, at most one empty line in a row, trimmed.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var sb = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0)
            {
                blank++;
                continue;
            }
            if (sb.Length > 0)
                sb.Append(blank > 0 ? "\n\n" : "\n");
            blank = 0;
            sb.Append(line);
        }
        return sb.ToString().Trim();
    }
}
