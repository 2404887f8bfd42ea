using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml;

namespace ServerlessComments.Import;

/// <summary>
/// Reads the comments of a WordPress eXtended RSS file (Tools → Export; WXR 1.0 to 1.2), one at a
/// time: every <c>wp:comment</c> of every <c>item</c> (post or page), with the item's link,
/// slug and title. Dates are <c>comment_date_gmt</c>, or <c>comment_date</c> (the blog's local
/// time, taken as UTC) when the GMT one is empty or zero, as old exports have.
/// </summary>
public static partial class WxrReader
{
    /// <summary>The WXR namespace by what it is, as WordPress's importer takes whatever its file
    /// declares: WordPress writes <c>http://wordpress.org/export/1.2/</c>, WordPress.com and other
    /// generators <c>https://</c>; versions 1.0 to 1.2 exist.</summary>
    [GeneratedRegex(@"^https?://(www\.)?wordpress\.org/export/1\.[0-9]+/$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WpNamespace();

    /// <summary>Comments of one item held until its link is read (WordPress writes the link
    /// first): a file that puts more before it is refused rather than held in memory.</summary>
    public const int MaxWaitingForLink = 1000;

    /// <summary>The comment types that are a public conversation. <c>review</c> (WooCommerce) is
    /// one: written by visitors and shown to everyone under the product page. Anything else
    /// (WordPress 6.9's editorial <c>note</c>, <c>order_note</c>, plugins' logs) is private.</summary>
    public static readonly IReadOnlySet<string> PublicTypes = new HashSet<string>(StringComparer.Ordinal) { "", "comment", "pingback", "trackback", "review" };

    public static bool IsWpNamespace(string uri) => uri.Length > 0 && WpNamespace().IsMatch(uri);
    private static readonly string[] DateFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"];

    private sealed class Item
    {
        public string? Link, Title, Slug, PostId, Guid, Identifier;
    }

    /// <param name="report">Told the root element and the WordPress namespace the file declares.</param>
    public static async IAsyncEnumerable<SourceComment> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken, ImportSummary? report = null)
    {
        using var source = new XmlSource(stream);
        var xml = source.Xml;
        await source.ExpectRootAsync("rss", "a WordPress export (WXR)", report);
        if (report is not null)
            report.Namespace = xml.LookupNamespace("wp") ?? DeclaredNamespaces(xml).FirstOrDefault(IsWpNamespace);
        var rssDepth = xml.Depth;
        string? lastNs = null;
        var lastIsWp = false;
        Item? item = null;
        var itemDepth = -1;
        // Comments seen before their item's link (WordPress writes the link first; other tools may not).
        var waiting = new List<SourceComment>();
        var closed = false;
        var read = await source.ReadAsync();
        while (read)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (xml.NodeType == XmlNodeType.EndElement)
            {
                if (item is not null && xml.Depth == itemDepth && xml.LocalName == "item")
                {
                    foreach (var comment in waiting)
                        yield return WithItem(comment, item);
                    waiting.Clear();
                    item = null;
                }
                else if (xml.Depth == rssDepth)
                    closed = true;
                read = await source.ReadAsync();
                continue;
            }
            if (xml.NodeType != XmlNodeType.Element)
            {
                read = await source.ReadAsync();
                continue;
            }
            if (!ReferenceEquals(xml.NamespaceURI, lastNs))
                (lastNs, lastIsWp) = (xml.NamespaceURI, IsWpNamespace(xml.NamespaceURI));
            var isWp = lastIsWp;
            if (xml.LocalName == "item" && xml.NamespaceURI.Length == 0 && item is null)
            {
                item = new Item();
                itemDepth = xml.Depth;
                if (xml.IsEmptyElement)
                    item = null;
                read = await source.ReadAsync();
            }
            else if (item is not null && xml.Depth == itemDepth + 1 && xml.NamespaceURI.Length == 0 && xml.LocalName is "link" or "title" or "guid")
            {
                var name = xml.LocalName;
                var text = (await source.TextAsync()).Trim();
                if (name == "link") item.Link = text;
                else if (name == "title") item.Title = text;
                else item.Guid = text;
                read = !xml.EOF;
            }
            else if (item is not null && isWp && xml.Depth == itemDepth + 1 && xml.LocalName is "post_name" or "post_id")
            {
                var name = xml.LocalName;
                var text = (await source.TextAsync()).Trim();
                if (name == "post_name") item.Slug = text;
                else item.PostId = text;
                read = !xml.EOF;
            }
            else if (item is not null && xml.Depth == itemDepth + 1 && xml.LocalName == "thread_identifier")
            {
                // The Disqus import format (a WXR) names its thread's identifier.
                item.Identifier = (await source.TextAsync()).Trim();
                read = !xml.EOF;
            }
            else if (item is not null && isWp && xml.Depth == itemDepth + 1 && xml.LocalName == "comment")
            {
                var comment = await CommentAsync(source);
                if (item.Link is null)
                {
                    if (waiting.Count == MaxWaitingForLink)
                        throw new ImportFileException(comment.Line, $"an <item> holds more than {MaxWaitingForLink:N0} comments before its <link>: WordPress writes the link first; the file is refused.");
                    waiting.Add(comment);
                }
                else
                    yield return WithItem(comment, item);
                read = !xml.EOF;
            }
            else if (item is not null && xml.Depth == itemDepth + 1)
            {
                // Post content, metadata: not needed, and skipped without being held.
                await source.SkipAsync();
                read = !xml.EOF;
            }
            else
                read = await source.ReadAsync();
        }
        if (!closed)
            throw source.Truncated("rss");
    }

    private static IEnumerable<string> DeclaredNamespaces(XmlReader xml)
    {
        var found = new List<string>();
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                if (xml.Prefix == "xmlns")
                    found.Add(xml.Value);
            } while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }
        return found;
    }

    private static SourceComment WithItem(SourceComment comment, Item item) => comment with
    {
        Link = item.Link,
        Title = item.Title,
        // As the WordPress Disqus plugin names threads: "post id, space, guid".
        Identifier = item.Identifier ?? (item.PostId is { Length: > 0 } ? (item.Guid is { Length: > 0 } ? item.PostId + " " + item.Guid : item.PostId) : item.Slug),
    };

    private static async Task<SourceComment> CommentAsync(XmlSource source)
    {
        var xml = source.Xml;
        var line = source.Line;
        var depth = xml.Depth;
        var fields = new Dictionary<string, (string Text, int Line)>(StringComparer.Ordinal);
        if (!xml.IsEmptyElement)
        {
            await source.ReadAsync();
            while (!(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
            {
                if (xml.EOF)
                    throw source.Truncated("wp:comment");
                if (xml.NodeType == XmlNodeType.Element && xml.Depth == depth + 1 && xml.LocalName.StartsWith("comment_", StringComparison.Ordinal))
                {
                    var name = xml.LocalName;
                    var at = source.Line;
                    fields[name] = (await source.TextAsync(), at);
                }
                else if (xml.NodeType == XmlNodeType.Element)
                    await source.SkipAsync(); // wp:commentmeta
                else
                    await source.ReadAsync();
            }
        }
        await source.ReadAsync(); // past </wp:comment>

        string Field(string name) => fields.TryGetValue(name, out var f) ? f.Text.Trim() : "";
        var id = Field("comment_id");
        if (id.Length == 0)
            throw new ImportFileException(line, "a <wp:comment> has no <wp:comment_id>.");
        // No date at all (WordPress's importer's own test files have such comments): the mapping
        // skips it, counted, rather than refusing the whole file.
        var date = DateOf("comment_date_gmt") ?? DateOf("comment_date") ?? default;
        var approved = Field("comment_approved");
        var status = approved switch
        {
            "1" or "approve" or "approved" => SourceStatus.Published,
            "0" or "hold" or "" => SourceStatus.Pending,
            "spam" => SourceStatus.Spam,
            "trash" or "post-trashed" => SourceStatus.Trash,
            _ => throw new ImportFileException(fields["comment_approved"].Line, $"comment {id}: <wp:comment_approved> is '{XmlSource.Shorten(approved)}', not 1, 0, spam or trash."),
        };
        var parent = Field("comment_parent");
        return new SourceComment
        {
            Source = ImportFormat.Wxr,
            Id = id,
            ParentId = parent is "" or "0" ? null : parent,
            Line = line,
            Author = Field("comment_author"),
            Email = Field("comment_author_email"),
            Website = Field("comment_author_url"),
            Ip = Field("comment_author_IP"),
            UserAgent = Field("comment_agent"),
            Body = fields.TryGetValue("comment_content", out var content) ? content.Text : "",
            BodyIsHtml = true,
            CreatedAt = date,
            Status = status,
            Type = Field("comment_type"),
            Kind = Field("comment_type") switch
            {
                "pingback" => SourceKind.Pingback, "trackback" => SourceKind.Trackback,
                var type when PublicTypes.Contains(type) => SourceKind.Comment,
                _ => SourceKind.Private,
            },
            ByOwner = Field("comment_user_id") is { Length: > 0 } user && user != "0",
        };

        DateTimeOffset? DateOf(string name) =>
            fields.TryGetValue(name, out var f) ? XmlSource.Date(f.Text, DateFormats, f.Line, "wp:" + name) : null;
    }
}
