using System.Text.Json.Serialization;

namespace ServerlessComments.Threads;

/// <summary>A published comment as the public sees it: no email, no IP, no moderation data.</summary>
public sealed record PublicComment(
    string Id,
    string? ParentId,
    string Author,
    string? Website,
    string Body,
    DateTime CreatedAt)
{
    /// <summary>The author of the comment this one answers, when it is shown away from it:
    /// replies deeper than the public tree's depth are shown at its deepest level.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InReplyTo { get; init; }

    /// <summary>The blog's owner wrote it; only sent when true, so other comments are unchanged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ByOwner { get; init; }

    /// <summary>When the owner last edited its text; only sent for an edited comment.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? EditedAt { get; init; }

    /// <summary>The opaque id of the author's avatar (<c>/api/avatars/{id}.svg</c>): a keyed hash, never the address or a plain hash of it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Avatar { get; init; }
    /// <summary>The text as Markdown formats it (see <see cref="Formatting.CommentMarkdown"/>); only
    /// sent when the text has any Markdown: otherwise <see cref="Body"/> is shown as it is.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Formatting.MarkupNode>? Formatted { get; init; }
    /// <summary>Deleted by its author, kept as "comment deleted" because it has replies: no author,
    /// website or text; only sent when true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Deleted { get; init; }

    public List<PublicComment> Replies { get; init; } = [];
}

/// <summary>A thread's published comments, nested: the top-level comments, oldest first.</summary>
public sealed record CommentForest(int Count, IReadOnlyList<PublicComment> Roots);

/// <summary>
/// Nests replies under their parents, oldest first at every level, to at most
/// <c>maxDepth</c> levels. Storage keeps any depth; a deeper reply is shown at the deepest level,
/// under its ancestor there, and says whom it answers (<see cref="PublicComment.InReplyTo"/>).
/// No step recurses, so no depth of reply chain can overflow a stack or a serializer.
/// </summary>
public static class CommentTree
{
    public static CommentForest Build(IEnumerable<PublicComment> published, int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        var ordered = published.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var byId = new Dictionary<string, PublicComment>(ordered.Count, StringComparer.Ordinal);
        foreach (var comment in ordered)
            byId.TryAdd(comment.Id, comment);

        var depth = Depths(ordered, byId);
        // Copies first, then links: a reply dated before its parent (a skewed clock, an import)
        // must still land under it.
        var shown = new Dictionary<string, PublicComment>(byId.Count, StringComparer.Ordinal);
        foreach (var comment in byId.Values)
        {
            var tooDeep = depth[comment.Id] > maxDepth;
            shown[comment.Id] = comment with { Replies = [], InReplyTo = tooDeep ? byId[comment.ParentId!].Author : null };
        }

        var roots = new List<PublicComment>();
        foreach (var original in ordered)
        {
            if (!ReferenceEquals(byId[original.Id], original))
                continue; // a second row with the same id: shown once
            var comment = shown[original.Id];
            var d = depth[original.Id];
            if (d == 1 || maxDepth == 1)
            {
                roots.Add(comment);
                continue;
            }
            // It hangs under its parent or, below the deepest level, under the ancestor one level
            // above the deepest, so that it shows at the deepest level.
            var anchor = byId[original.ParentId!];
            for (var level = d - 1; level > maxDepth - 1; level--)
                anchor = byId[anchor.ParentId!];
            shown[anchor.Id].Replies.Add(comment);
        }
        return new CommentForest(byId.Count, roots);
    }

    /// <summary>Each comment's level (1 = top level). A comment whose parent is not public
    /// (held, removed), itself, or part of a cycle (only tampered storage makes one) is top-level,
    /// so that the count and what readers see always agree.</summary>
    private static Dictionary<string, int> Depths(List<PublicComment> ordered, Dictionary<string, PublicComment> byId)
    {
        var depth = new Dictionary<string, int>(ordered.Count, StringComparer.Ordinal);
        var path = new List<string>();
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in ordered)
        {
            path.Clear();
            onPath.Clear();
            var current = start;
            int baseDepth;
            while (true)
            {
                if (depth.TryGetValue(current.Id, out var known))
                {
                    baseDepth = known;
                    break;
                }
                if (!onPath.Add(current.Id))
                {
                    // A cycle: every comment on it is top-level.
                    var cycleStart = path.IndexOf(current.Id);
                    foreach (var id in path.Skip(cycleStart))
                        depth[id] = 1;
                    path.RemoveRange(cycleStart, path.Count - cycleStart);
                    baseDepth = 1;
                    // The comments before the cycle hang below the comment that closed it.
                    break;
                }
                path.Add(current.Id);
                if (current.ParentId is null || current.ParentId == current.Id || !byId.TryGetValue(current.ParentId, out var parent))
                {
                    depth[current.Id] = 1;
                    path.RemoveAt(path.Count - 1);
                    baseDepth = 1;
                    break;
                }
                current = parent;
            }
            for (var i = path.Count - 1; i >= 0; i--)
                depth[path[i]] = ++baseDepth;
        }
        return depth;
    }
}
