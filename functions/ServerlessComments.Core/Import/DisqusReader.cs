using System.Runtime.CompilerServices;
using System.Xml;

namespace ServerlessComments.Import;

/// <summary>
/// Reads a Disqus export (<c>&lt;disqus&gt;</c>: its threads, then its posts), one post at a
/// time. Threads are kept (link, identifier, title: small) so each post can name its page;
/// posts reference threads and parents by their <c>dsq:id</c>.
/// </summary>
public static class DisqusReader
{
    private const string Internals = "http://disqus.com/disqus-internals";
    private static readonly string[] DateFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private sealed record Thread(string? Link, string? Identifier, string? Title);

    public static async IAsyncEnumerable<SourceComment> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken, ImportSummary? report = null)
    {
        using var source = new XmlSource(stream);
        var xml = source.Xml;
        await source.ExpectRootAsync("disqus", "a Disqus export", report);
        if (report is not null)
            report.Namespace = xml.NamespaceURI;
        var rootDepth = xml.Depth;
        var threads = new Dictionary<string, Thread>(StringComparer.Ordinal);
        var closed = false;
        var read = await source.ReadAsync();
        while (read)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == rootDepth)
            {
                closed = true;
                read = await source.ReadAsync();
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.Depth == rootDepth + 1 && xml.LocalName == "thread")
            {
                var (id, fields, _) = await ElementAsync(source, "thread");
                if (id.Length > 0)
                    threads[id] = new Thread(fields.GetValueOrDefault("link"), fields.GetValueOrDefault("id"), fields.GetValueOrDefault("title"));
                read = !xml.EOF;
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.Depth == rootDepth + 1 && xml.LocalName == "post")
            {
                var line = source.Line;
                var (id, fields, refs) = await ElementAsync(source, "post");
                var threadId = refs.GetValueOrDefault("thread") ?? throw new ImportFileException(line, $"post {id} names no <thread dsq:id>.");
                var thread = threads.GetValueOrDefault(threadId);
                var date = XmlSource.Date(fields.GetValueOrDefault("createdAt") ?? "", DateFormats, line, "createdAt")
                           ?? throw new ImportFileException(line, $"post {id} has no <createdAt>.");
                yield return new SourceComment
                {
                    Source = ImportFormat.Disqus,
                    Id = id,
                    ParentId = refs.GetValueOrDefault("parent"),
                    Line = line,
                    // A post whose thread the file does not hold has no page: the mapping skips it.
                    Link = thread?.Link,
                    Identifier = thread?.Identifier,
                    Title = thread?.Title,
                    Author = fields.GetValueOrDefault("author/name") is { Length: > 0 } name ? name : fields.GetValueOrDefault("author/username"),
                    Email = fields.GetValueOrDefault("author/email"),
                    Ip = fields.GetValueOrDefault("ipAddress"),
                    Body = fields.GetValueOrDefault("message") ?? "",
                    BodyIsHtml = true,
                    CreatedAt = date,
                    Status = IsTrue(fields, "isDeleted") ? SourceStatus.Deleted : IsTrue(fields, "isSpam") ? SourceStatus.Spam : SourceStatus.Published,
                };
                read = !xml.EOF;
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.Depth == rootDepth + 1)
            {
                await source.SkipAsync(); // categories
                read = !xml.EOF;
            }
            else
                read = await source.ReadAsync();
        }
        if (!closed)
            throw source.Truncated("disqus");
    }

    private static bool IsTrue(Dictionary<string, string> fields, string name) =>
        string.Equals(fields.GetValueOrDefault(name)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A thread or post: its dsq:id, its text fields (nested ones as "author/name"), and
    /// the dsq:id of the elements that reference others (thread, parent).</summary>
    private static async Task<(string Id, Dictionary<string, string> Fields, Dictionary<string, string> Refs)> ElementAsync(XmlSource source, string what)
    {
        var xml = source.Xml;
        var line = source.Line;
        var depth = xml.Depth;
        // Without a dsq:id (remark42's test file has such a post) nothing can name it: the
        // caller skips it, counted, rather than refusing the file.
        var id = xml.GetAttribute("id", Internals) ?? "";
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = new List<string>();
        if (!xml.IsEmptyElement)
        {
            await source.ReadAsync();
            while (!(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
            {
                if (xml.EOF)
                    throw source.Truncated(what);
                if (xml.NodeType == XmlNodeType.Element)
                {
                    var level = xml.Depth - depth - 1;
                    if (path.Count > level)
                        path.RemoveRange(level, path.Count - level);
                    var name = xml.LocalName;
                    if (xml.GetAttribute("id", Internals) is { Length: > 0 } target && level == 0 && name is "thread" or "parent")
                    {
                        refs[name] = target.Trim();
                        await source.SkipAsync();
                    }
                    else if (level == 0 && name == "author" || xml.IsEmptyElement)
                    {
                        path.Add(name);
                        await source.ReadAsync();
                    }
                    else
                    {
                        var key = string.Join('/', path.Take(level).Append(name));
                        fields[key] = await source.TextAsync();
                    }
                }
                else
                    await source.ReadAsync();
            }
        }
        await source.ReadAsync();
        return (id.Trim(), fields, refs);
    }
}
