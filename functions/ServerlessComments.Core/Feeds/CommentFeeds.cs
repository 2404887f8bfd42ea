using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Notifications;
using ServerlessComments.Texts;
using ServerlessComments.Threads;

namespace ServerlessComments.Feeds;

/// <summary>A built feed and its ETag.</summary>
public sealed record FeedDocument(byte[] Xml, string ETag);

/// <summary>
/// The Atom feeds of published comments, from what is stored for readers already, never a scan:
/// a thread's feed is its stored first page newest first (one read, which page views share, and
/// its ETag decides a 304 before any XML is written); the site's feed is the first page of the
/// owner's list of published comments (one partition of the table, read in key order, newest
/// first, <see cref="MaxEntries"/> rows), kept in memory for <see cref="SiteCacheSeconds"/>.
/// Only the public fields go out: never an address.
/// </summary>
public sealed class CommentFeeds(ThreadReading reading, ICommentStore store, IOptions<NotificationOptions> site, TimeProvider clock)
{
    public const int MaxEntries = 50;
    public const int SiteCacheSeconds = 30;
    /// <summary>Feed readers poll; five minutes between their reads is plenty for comments.</summary>
    public const string CacheControl = "public, max-age=300";
    public const string ContentType = "application/atom+xml; charset=utf-8";
    // Raised when the XML written for the same comments changes, so that ETags change with it.
    private const string Version = "1";

    private readonly Lock _gate = new();
    private (string Lang, FeedDocument Feed, DateTimeOffset Until)? _site;

    /// <summary>The thread's feed; null when <paramref name="ifNoneMatch"/> names the current one (answer 304).</summary>
    public async Task<FeedDocument?> ThreadAsync(string thread, string? lang, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var say = Strings.For(lang ?? site.Value.Lang);
        var page = await reading.ReadAsync(thread, ThreadOrder.Newest, null, null, cancellationToken);
        var etag = ETag(page.ETag + "\n" + say.Lang + "\n" + site.Value.BlogUrl + "\n" + site.Value.PublicBaseUrl);
        if (etag == ifNoneMatch)
            return null;
        var comments = JsonSerializer.Deserialize<ThreadPage>(page.Json, CommentJson.Options)!.Comments;
        var all = new List<PublicComment>();
        var stack = new Stack<PublicComment>(comments);
        while (stack.TryPop(out var c))
        {
            all.Add(c);
            foreach (var r in c.Replies)
                stack.Push(r);
        }
        var entries = all.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Take(MaxEntries)
            .Select(c => Entry(c.Id, say.Get("feeds", "entry", ("author", c.Author)), c.Author, c.Website, c.Body, c.CreatedAt, c.EditedAt,
                Link(thread, pageUrl: null, c.Id)))
            .ToList();
        var head = new FeedHead(Tag("thread:" + thread), say.Get("feeds", "thread", ("thread", thread)),
            Base + "/api/feeds/thread.atom?thread=" + Uri.EscapeDataString(thread) + (lang is null ? "" : "&lang=" + say.Lang),
            Link(thread, pageUrl: null, id: null), say.Lang);
        return new FeedDocument(AtomFeed.Write(head, entries), etag);
    }

    /// <summary>The site's feed (every thread).</summary>
    public async Task<FeedDocument> SiteAsync(string? lang, CancellationToken cancellationToken)
    {
        var say = Strings.For(lang ?? site.Value.Lang);
        var now = clock.GetUtcNow();
        lock (_gate)
            if (_site is { } kept && kept.Lang == say.Lang && kept.Until > now)
                return kept.Feed;
        var page = await store.ListAsync(CommentStatus.Published, thread: null, after: null, MaxEntries, cancellationToken);
        var entries = page.Comments.Where(c => c.IsPublished).Take(MaxEntries)
            .Select(c => Entry(c.Id, say.Get("feeds", "entryOn", ("author", c.Author), ("title", c.PageTitle ?? c.Thread)), c.Author, c.Website, c.Body,
                c.CreatedAt.UtcDateTime, c.EditedAt?.UtcDateTime, Link(c.Thread, c.PageUrl, c.Id)))
            .ToList();
        var head = new FeedHead(Tag("comments"), say.Get("feeds", "site", ("site", site.Value.SiteName)),
            Base + "/api/feeds/comments.atom" + (lang is null ? "" : "?lang=" + say.Lang), Blog?.GetLeftPart(UriPartial.Path), say.Lang);
        var xml = AtomFeed.Write(head, entries);
        var feed = new FeedDocument(xml, ETag(Convert.ToHexStringLower(SHA256.HashData(xml))));
        lock (_gate)
            _site = (say.Lang, feed, now.AddSeconds(SiteCacheSeconds));
        return feed;
    }

    private FeedEntry Entry(string id, string title, string author, string? website, string body, DateTime created, DateTime? edited, string? link) =>
        new(TagOn(created, "comment:" + id), title, author,
            Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null,
            body, created, edited ?? created, link);

    private string Base => site.Value.PublicBaseUrl.TrimEnd('/');

    private Uri? Blog => Uri.TryCreate(site.Value.BlogUrl, UriKind.Absolute, out var blog) ? blog : null;

    // tag: URIs (RFC 4151) name things with a domain and a date its owner held it: the blog's (or the API's) host.
    private string Authority => (Blog ?? new Uri(Base)).Host;

    private string Tag(string specific) => $"tag:{Authority},2026:{Escape(specific)}";

    private string TagOn(DateTime day, string specific) =>
        $"tag:{Authority},{day.ToUniversalTime():yyyy-MM-dd}:{Escape(specific)}";

    private static string Escape(string text) => Uri.EscapeDataString(text).Replace("%2F", "/").Replace("%3A", ":");

    // As emails link it (BlogLinks).
    private string? Link(string thread, string? pageUrl, string? id) => BlogLinks.ToComment(site.Value.BlogUrl, thread, pageUrl, id);

    private static string ETag(string of) => "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Version + "\n" + of)))[..32] + "\"";
}
