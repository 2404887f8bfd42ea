using System.Security.Cryptography;
using System.Text.Json;
using ServerlessComments.Comments;

namespace ServerlessComments.Threads;

/// <summary>Everything a thread's stored view holds, built from its published comments.</summary>
/// <remarks>A chunk's JSON is null when it is stored already (a patch keeps the chunks it did not touch).</remarks>
public sealed record BuiltView(int Count, IReadOnlyList<(ChunkInfo Info, byte[]? Json)> Chunks, IReadOnlyDictionary<string, ViewDocument> FirstPages)
{
    public ViewState State(long sequence) => new(sequence, Count, Chunks.Select(c => c.Info).ToList(),
        FirstPages.ToDictionary(p => p.Key, p => p.Value.ETag));

    /// <summary>True when <paramref name="state"/> already describes exactly this view.</summary>
    public bool SameAs(ViewState? state) =>
        state is not null && state.Count == Count && state.Chunks.All(c => c.Orphans is not null) &&
        state.Chunks.Select(c => c.Hash).SequenceEqual(Chunks.Select(c => c.Info.Hash)) &&
        FirstPages.All(p => state.FirstPages.TryGetValue(p.Key, out var tag) && tag == p.Value.ETag);
}

/// <summary>
/// Builds a thread's view: the tree (to the configured depth), cut into chunks of
/// <see cref="ThreadOptions.PageSize"/> top-level comments (oldest first), and the first page in
/// each order as the exact answer <c>GET /api/comments</c> gives.
/// </summary>
public static class ThreadViewBuilder
{
    public static BuiltView Build(string thread, IEnumerable<StoredComment> published, ThreadOptions options, Faces.AvatarIds? avatars = null)
    {
        var forest = CommentTree.Build(published.Where(c => c.IsPublished && c.Thread == thread).Select(c => ToPublic(c, options, avatars)), options.MaxDepth);
        var roots = forest.Roots;
        var size = options.PageSize;

        var chunks = new List<(ChunkInfo, byte[]?)>();
        for (var start = 0; start < roots.Count; start += size)
            chunks.Add(Chunk(roots.Skip(start).Take(size).ToList()));

        var oldest = roots.Take(size).ToList();
        var newest = roots.Reverse().Take(size).ToList();
        var more = roots.Count > size;
        var firstPages = new Dictionary<string, ViewDocument>
        {
            [ThreadOrder.Oldest] = Page(thread, forest.Count, ThreadOrder.Oldest, oldest, more),
            [ThreadOrder.Newest] = Page(thread, forest.Count, ThreadOrder.Newest, newest, more),
        };
        return new BuiltView(forest.Count, chunks, firstPages);
    }

    /// <summary>A stored chunk of top-level comments (oldest first), named by its content's hash.</summary>
    public static (ChunkInfo Info, byte[] Json) Chunk(IReadOnlyList<PublicComment> run)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new ThreadChunk(run), CommentJson.Options);
        var hash = Convert.ToHexStringLower(SHA256.HashData(json))[..32];
        var orphans = run.Where(r => r.ParentId is not null).Select(r => r.ParentId!).Distinct(StringComparer.Ordinal).ToList();
        return (new ChunkInfo(hash, PageCursor.KeyOf(run[0]), PageCursor.KeyOf(run[^1]), run.Count) { Orphans = orphans }, json);
    }

    public static ViewDocument Page(string thread, int count, string order, IReadOnlyList<PublicComment> comments, bool more) =>
        ViewDocument.Of(JsonSerializer.SerializeToUtf8Bytes(
            new ThreadPage(thread, count, order, comments, more ? new PageCursor(order, PageCursor.KeyOf(comments[^1])).ToString() : null),
            CommentJson.Options));

    /// <summary>The comment as the public sees it; with <paramref name="options"/>, its text formatted
    /// as they say (once, here: the view keeps it until the comment changes).</summary>
    public static PublicComment ToPublic(StoredComment c, ThreadOptions? options = null, Faces.AvatarIds? avatars = null) => new(c.Id, c.ParentId, c.Author, c.Website, c.Body, c.CreatedAt.UtcDateTime)
    {
        ByOwner = c.ByOwner, EditedAt = c.EditedAt?.UtcDateTime, Avatar = avatars?.For(c), Deleted = c.Deleted,
        Formatted = options is { Markdown: true } ? Formatting.CommentMarkdown.Render(c.Body) : null,
    };
}
