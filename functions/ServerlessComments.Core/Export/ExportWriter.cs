using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using ServerlessComments.Comments;

namespace ServerlessComments.Export;

/// <summary>
/// Writes the stored comments as a file, a comment at a time (never the whole site in memory):
/// this product's JSON; WXR, which WordPress's importer (Tools → Import → WordPress) reads, one
/// item per thread; and the Disqus import format (a WXR with each thread's identifier).
/// </summary>
/// <remarks>Comments arrive grouped by thread, as the store lists them; an item is written per
/// run of one thread. Texts are plain text, so they are written HTML-escaped: WordPress and Disqus
/// treat a comment as HTML and must show exactly what the reader wrote.</remarks>
public static class ExportWriter
{
    private const string Wp = "http://wordpress.org/export/1.2/";
    private const string WpDisqus = "http://wordpress.org/export/1.0/";
    private const string Content = "http://purl.org/rss/1.0/modules/content/";
    private const string Dc = "http://purl.org/dc/elements/1.1/";
    private const string Dsq = "http://www.disqus.com/";

    /// <returns>How many comments were written.</returns>
    public static async Task<int> WriteAsync(string format, IAsyncEnumerable<StoredComment> comments, Stream output, string? blogUrl, CancellationToken cancellationToken) =>
        format switch
        {
            ExportFormat.Json => await JsonAsync(comments, output, cancellationToken),
            ExportFormat.Wxr => await WxrAsync(comments, output, blogUrl, disqus: false, cancellationToken),
            ExportFormat.Disqus => await WxrAsync(comments, output, blogUrl, disqus: true, cancellationToken),
            _ => throw new ArgumentException($"No export format '{format}'.", nameof(format)),
        };

    public static async Task<int> JsonAsync(IAsyncEnumerable<StoredComment> comments, Stream output, CancellationToken cancellationToken,
        Moderation.OwnerLists? ownerLists = null)
    {
        // One comment a line: the file stays readable, and two exports compare line by line.
        await output.WriteAsync("["u8.ToArray(), cancellationToken);
        var n = 0;
        var lines = 0;
        // The owner's lists, when they have any, are one element of their own: {"ownerLists": {…}}.
        if (ownerLists is not null && HasAny(ownerLists))
        {
            await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
            await output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new { ownerLists }, CommentJson.Options), cancellationToken);
            lines++;
        }
        await foreach (var comment in comments.WithCancellation(cancellationToken))
        {
            await output.WriteAsync(lines++ == 0 ? "\n"u8.ToArray() : ",\n"u8.ToArray(), cancellationToken);
            n++;
            await output.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(ExportedComment.From(ExportText.Clean(comment)), CommentJson.Options), cancellationToken);
        }
        await output.WriteAsync("\n]\n"u8.ToArray(), cancellationToken);
        await output.FlushAsync(cancellationToken);
        return n;
    }

    private static bool HasAny(Moderation.OwnerLists l) =>
        l.SpamRetentionDays > 0 || new[] { l.BlockWords, l.HoldWords, l.BlockEmails, l.HoldEmails, l.BlockDomains, l.HoldDomains, l.BlockIps, l.HoldIps }.Any(x => x.Count > 0);

    private static async Task<int> WxrAsync(IAsyncEnumerable<StoredComment> comments, Stream output, string? blogUrl, bool disqus, CancellationToken cancellationToken)
    {
        var blog = (blogUrl ?? "").TrimEnd('/');
        var wp = disqus ? WpDisqus : Wp;
        await using var xml = XmlWriter.Create(output, new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(false), CloseOutput = false });
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "rss", null);
        await xml.WriteAttributeStringAsync(null, "version", null, "2.0");
        await xml.WriteAttributeStringAsync("xmlns", "content", null, Content);
        await xml.WriteAttributeStringAsync("xmlns", "dc", null, Dc);
        await xml.WriteAttributeStringAsync("xmlns", "wp", null, wp);
        if (disqus)
            await xml.WriteAttributeStringAsync("xmlns", "dsq", null, Dsq);
        await xml.WriteStartElementAsync(null, "channel", null);
        await Text(xml, null, "title", blog.Length > 0 ? blog : "Comments", null);
        await Text(xml, null, "link", blog, null);
        await Text(xml, null, "description", "", null);
        if (!disqus)
        {
            await Text(xml, "wp", "wxr_version", "1.2", wp);
            await Text(xml, "wp", "base_site_url", blog, wp);
            await Text(xml, "wp", "base_blog_url", blog, wp);
        }

        string? thread = null;
        var postId = 0;
        var n = 0;
        // WordPress numbers comments; a thread's ids are given numbers as they are met (a parent
        // dated after its reply is numbered when the reply names it).
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        int Number(string id) => numbers.TryGetValue(id, out var k) ? k : numbers[id] = ++next;

        await foreach (var stored in comments.WithCancellation(cancellationToken))
        {
            // Written as XML can carry it: one stored character XML forbids would cut the file short.
            var comment = ExportText.Clean(stored);
            if (disqus && comment.Status == CommentStatus.Spam)
                continue; // Disqus imports approved and pending comments only
            if (comment.Thread != thread)
            {
                if (thread is not null)
                    await xml.WriteEndElementAsync();
                thread = comment.Thread;
                numbers.Clear();
                var link = LinkOf(comment, blog);
                await xml.WriteStartElementAsync(null, "item", null);
                await Text(xml, null, "title", comment.PageTitle ?? thread, null);
                await Text(xml, null, "link", link, null);
                await xml.WriteStartElementAsync("content", "encoded", Content);
                await xml.WriteCDataAsync("");
                await xml.WriteEndElementAsync();
                if (disqus)
                    await Text(xml, "dsq", "thread_identifier", thread, Dsq);
                else
                {
                    await Text(xml, "dc", "creator", "", Dc);
                    await xml.WriteStartElementAsync(null, "guid", null);
                    await xml.WriteAttributeStringAsync(null, "isPermaLink", null, "false");
                    await xml.WriteStringAsync(link);
                    await xml.WriteEndElementAsync();
                    await Text(xml, "wp", "post_id", (++postId).ToString(CultureInfo.InvariantCulture), wp);
                    await Text(xml, "wp", "post_date", Date(comment.CreatedAt), wp);
                    await Text(xml, "wp", "post_name", Slug(thread), wp);
                    await Text(xml, "wp", "status", "publish", wp);
                    await Text(xml, "wp", "post_type", "post", wp);
                }
                await Text(xml, "wp", "post_date_gmt", Date(comment.CreatedAt), wp);
                await Text(xml, "wp", "comment_status", "open", wp);
            }
            await xml.WriteStartElementAsync("wp", "comment", wp);
            await Text(xml, "wp", "comment_id", Number(comment.Id).ToString(CultureInfo.InvariantCulture), wp);
            await Text(xml, "wp", "comment_author", comment.Author, wp);
            await Text(xml, "wp", "comment_author_email", comment.Email, wp);
            await Text(xml, "wp", "comment_author_url", comment.Website ?? "", wp);
            await Text(xml, "wp", "comment_author_IP", comment.Ip ?? "", wp);
            await Text(xml, "wp", "comment_date", Date(comment.CreatedAt), wp);
            await Text(xml, "wp", "comment_date_gmt", Date(comment.CreatedAt), wp);
            await xml.WriteStartElementAsync("wp", "comment_content", wp);
            await xml.WriteCDataAsync(WebUtility.HtmlEncode(comment.Body));
            await xml.WriteEndElementAsync();
            await Text(xml, "wp", "comment_approved", comment.Status switch { CommentStatus.Published => "1", CommentStatus.Spam => "spam", _ => "0" }, wp);
            if (!disqus)
                await Text(xml, "wp", "comment_type", "comment", wp);
            await Text(xml, "wp", "comment_parent", comment.ParentId is { } parent ? Number(parent).ToString(CultureInfo.InvariantCulture) : "0", wp);
            if (!disqus)
                await Text(xml, "wp", "comment_user_id", comment.ByOwner ? "1" : "0", wp);
            await xml.WriteEndElementAsync();
            if (++n % 200 == 0)
                await xml.FlushAsync();
        }
        if (thread is not null)
            await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
        return n;
    }

    /// <summary>The page's address: as the comment recorded it, else the blog's address and the thread (a path).</summary>
    public static string LinkOf(StoredComment comment, string blog) =>
        comment.PageUrl is { Length: > 0 } url ? url
        : Uri.TryCreate(comment.Thread, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.AbsoluteUri
        : blog + (comment.Thread.StartsWith('/') ? comment.Thread : "/" + comment.Thread);

    private static string Slug(string thread) => thread.Trim('/').Split('/').LastOrDefault(s => s.Length > 0) ?? "";

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Task Text(XmlWriter xml, string? prefix, string name, string value, string? ns) =>
        xml.WriteElementStringAsync(prefix, name, ns, ExportText.Clean(value));
}
