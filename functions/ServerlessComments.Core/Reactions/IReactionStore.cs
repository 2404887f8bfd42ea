namespace ServerlessComments.Reactions;

/// <summary>
/// Readers' reactions of one thread and their tally. A reaction is one row per reader and target
/// (a comment's like, a page emoji), so a reader's retry is the same row; the tally is the counts
/// as last committed, written only if unchanged since read (optimistic concurrency).
/// </summary>
public interface IReactionStore
{
    /// <summary>Records a reader's reaction; false when it was there already.</summary>
    Task<bool> AddAsync(string threadKey, string target, string reader, CancellationToken cancellationToken);

    /// <summary>Removes a reader's reaction; false when there was none.</summary>
    Task<bool> RemoveAsync(string threadKey, string target, string reader, CancellationToken cancellationToken);

    /// <summary>How many readers reacted to this target now.</summary>
    Task<int> CountAsync(string threadKey, string target, CancellationToken cancellationToken);

    /// <summary>The tally as committed, with its version; null when the thread has none.</summary>
    Task<ReactionTally?> GetTallyAsync(string threadKey, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="next"/> if the stored tally is still <paramref name="expected"/>
    /// (null: none yet); false when another writer got there first.</summary>
    Task<bool> TryCommitTallyAsync(string threadKey, ReactionTally? expected, ReactionTally next, CancellationToken cancellationToken);
}

/// <summary>A thread's counts as committed: <see cref="Sequence"/> grows with every commit;
/// <see cref="Version"/> is the store's concurrency token.</summary>
public sealed record ReactionTally(ReactionCounts Counts, long Sequence)
{
    public string? Version { get; init; }
}

/// <summary>What the widget reads beside the thread's view (<c>reactions.json</c>): likes per
/// comment id, readers per page emoji, and the comment the owner pinned. Counts only: no reader.</summary>
public sealed record ReactionCounts(IReadOnlyDictionary<string, int> Likes, IReadOnlyDictionary<string, int> Page, string? Pinned)
{
    public static readonly ReactionCounts Empty = new(new Dictionary<string, int>(), new Dictionary<string, int>(), null);

    public int CountOf(string target) =>
        (Targets.IsLike(target, out var id) ? Likes.GetValueOrDefault(id) : Page.GetValueOrDefault(Targets.EmojiOf(target)));

    /// <summary>These counts with one target's count replaced (0 removes it, keeping the document small).</summary>
    public ReactionCounts With(string target, int count)
    {
        var like = Targets.IsLike(target, out var id);
        var map = new Dictionary<string, int>(like ? Likes : Page, StringComparer.Ordinal);
        var name = like ? id : Targets.EmojiOf(target);
        if (count > 0)
            map[name] = count;
        else
            map.Remove(name);
        return like ? this with { Likes = map } : this with { Page = map };
    }
}

/// <summary>How a reaction's target is stored: <c>c:{comment id}</c> or <c>p:{emoji}</c>.</summary>
public static class Targets
{
    public static string Like(string commentId) => "c:" + commentId;
    public static string PageEmoji(string emoji) => "p:" + emoji;
    public static bool IsLike(string target, out string commentId)
    {
        commentId = target.StartsWith("c:", StringComparison.Ordinal) ? target[2..] : "";
        return commentId.Length > 0;
    }
    public static string EmojiOf(string target) => target[2..];
}
