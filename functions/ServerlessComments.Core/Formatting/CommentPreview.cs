using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Formatting;

/// <summary>What a preview came to.</summary>
public abstract record PreviewOutcome
{
    /// <summary>The text as the thread will show it: its nodes, or null for plain text.</summary>
    public sealed record Shown(IReadOnlyList<MarkupNode>? Formatted) : PreviewOutcome;
    public sealed record Invalid(string Message) : PreviewOutcome;
    public sealed record TooFast(int Seconds) : PreviewOutcome;
}

/// <summary>
/// The form's Preview: a text formatted by the same rules as a stored comment (a CommonMark
/// renderer in the widget would not fit its size budget, and two renderers would disagree).
/// Nothing is stored. Rate-limited per network (an IPv4 address, an IPv6 /64) and per instance
/// (<see cref="MinuteAllowance"/>): the cost it bounds is this instance's CPU.
/// </summary>
public sealed class CommentPreview(IOptions<ThreadOptions> options, TimeProvider clock)
{
    /// <summary>Previews a network may ask for in a minute (a reader previews a few times a comment).</summary>
    public const int PerMinute = 20;

    private readonly MinuteAllowance _allowance = new(clock);

    public PreviewOutcome Preview(string? body, string? ip)
    {
        if (string.IsNullOrWhiteSpace(body))
            return new PreviewOutcome.Invalid("Type a comment to preview.");
        if (CommentValidator.LengthOf(body) > CommentValidator.MaxBodyLength)
            return new PreviewOutcome.Invalid($"A comment is at most {CommentValidator.MaxBodyLength} characters.");
        if (_allowance.Wait(ip, PerMinute) is { } seconds)
            return new PreviewOutcome.TooFast(seconds);
        return new PreviewOutcome.Shown(options.Value.Markdown ? CommentMarkdown.Render(body) : null);
    }
}
