namespace ServerlessComments.Comments;

/// <summary>A published comment as the public sees it: no email, no IP, no moderation data.</summary>
public sealed record PublicComment(
    string Id,
    string? ParentId,
    string Author,
    string? Website,
    string Body,
    DateTime CreatedAt)
{
    public List<PublicComment> Replies { get; } = [];
}

public sealed record ThreadView(string Thread, int Count, IReadOnlyList<PublicComment> Comments);

/// <summary>Nests replies under their parents, oldest first at every level.</summary>
public static class CommentTree
{
    public static ThreadView Build(string thread, IEnumerable<PublicComment> published)
    {
        var ordered = published.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var byId = new Dictionary<string, PublicComment>(ordered.Count, StringComparer.Ordinal);
        foreach (var comment in ordered)
            byId.TryAdd(comment.Id, comment);

        var roots = new List<PublicComment>();
        foreach (var comment in ordered)
        {
            // A reply whose parent is not public (held, removed) is shown at the top level rather
            // than hidden, so that the count and what readers see always agree.
            if (comment.ParentId is not null && comment.ParentId != comment.Id &&
                byId.TryGetValue(comment.ParentId, out var parent) && !IsAncestor(comment, parent, byId))
                parent.Replies.Add(comment);
            else
                roots.Add(comment);
        }
        return new ThreadView(thread, ordered.Count, roots);
    }

    // Ids are issued by the service, so a cycle can only come from tampered storage; guard anyway
    // so that such data can never make a comment vanish or the walk loop.
    private static bool IsAncestor(PublicComment candidate, PublicComment start, Dictionary<string, PublicComment> byId)
    {
        var seen = 0;
        for (var current = start; current.ParentId is not null && byId.TryGetValue(current.ParentId, out var next); current = next)
        {
            if (ReferenceEquals(next, candidate) || ++seen > byId.Count)
                return true;
        }
        return false;
    }
}
