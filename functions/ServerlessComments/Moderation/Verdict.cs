using ServerlessComments.Comments;

namespace ServerlessComments.Moderation;

/// <summary>What the moderation stage decided about a comment, and why. Reasons are for the
/// blog owner only; they never appear in a public answer.</summary>
public sealed record Verdict(string Status, IReadOnlyList<string> Reasons)
{
    public static Verdict Publish(params string[] reasons) => new(CommentStatus.Published, reasons);
}

/// <summary>
/// The seam between accepting a comment and storing it: spam checks and moderation rules decide
/// here. The processor asks it once per comment and stores what it says.
/// </summary>
public interface ICommentModeration
{
    ValueTask<Verdict> JudgeAsync(CommentSubmission comment, CancellationToken cancellationToken);
}

public enum ModerationMode
{
    /// <summary>Publish every comment that passes the checks.</summary>
    None,
}

public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    /// <summary><c>Moderation__Mode</c>. Only <c>none</c> exists so far; first-time and hold-all
    /// modes come with the spam stage, and an unknown mode stops start-up rather than being ignored.</summary>
    public ModerationMode Mode { get; set; } = ModerationMode.None;
}

/// <summary>Moderation off: every valid comment is published.</summary>
public sealed class PublishEverything : ICommentModeration
{
    private static readonly Verdict Verdict = Verdict.Publish("moderation mode: none");

    public ValueTask<Verdict> JudgeAsync(CommentSubmission comment, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verdict);
}
