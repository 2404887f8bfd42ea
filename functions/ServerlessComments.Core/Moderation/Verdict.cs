using ServerlessComments.Comments;

namespace ServerlessComments.Moderation;

/// <summary>What happens to a comment, from mildest to strongest.</summary>
public enum Decision
{
    /// <summary>Shown to readers.</summary>
    Publish,
    /// <summary>Awaiting moderation: kept, shown to no one but the owner.</summary>
    Hold,
    /// <summary>Kept for the owner's review, never shown.</summary>
    Spam,
    /// <summary>Blatant spam: dropped, counted and logged, not stored.</summary>
    Discard,
}

/// <summary>What the moderation stage decided about a comment, and why. Reasons are for the
/// blog owner only; they never appear in a public answer.</summary>
public sealed record Verdict(Decision Decision, IReadOnlyList<string> Reasons)
{
    /// <summary>Not a verdict: the check could not be made now (Akismet down) and the comment
    /// should be judged again later.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Verdict Publish(params string[] reasons) => new(Decision.Publish, reasons);
    public static Verdict Hold(params string[] reasons) => new(Decision.Hold, reasons);
    public static Verdict Spam(params string[] reasons) => new(Decision.Spam, reasons);
    public static Verdict Discard(params string[] reasons) => new(Decision.Discard, reasons);
    public static Verdict Later(TimeSpan delay, string reason) => new(Decision.Hold, [reason]) { RetryAfter = delay };

    /// <summary>The stored status: publish → published, hold → pending, spam → spam.</summary>
    public CommentStatus Status => Decision switch
    {
        Decision.Publish => CommentStatus.Published,
        Decision.Hold => CommentStatus.Pending,
        _ => CommentStatus.Spam,
    };
}

/// <summary>
/// The seam between accepting a comment and storing it: spam checks and moderation rules decide
/// here. The processor asks it once per comment and stores what it says.
/// </summary>
public interface ICommentModeration
{
    ValueTask<Verdict> JudgeAsync(CommentSubmission comment, CancellationToken cancellationToken);
}
