using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;

namespace ServerlessComments.Reactions;

/// <summary>A reader's reaction as offered: a like of <see cref="Comment"/>, or the page emoji
/// <see cref="Emoji"/>, by the random id the widget keeps for its reader.</summary>
public sealed record Reaction(string? Thread, string? Comment, string? Emoji, string? Reader);

/// <summary>What became of a reaction.</summary>
public abstract record ReactOutcome
{
    /// <summary>Recorded (or removed): the target's count now.</summary>
    public sealed record Counted(int Count) : ReactOutcome;
    public sealed record Invalid(string Field, string Message) : ReactOutcome;
    public sealed record NotFound(string Field, string Message) : ReactOutcome;
    public sealed record TooFast(int Seconds) : ReactOutcome;
    /// <summary>The owner turned reactions off.</summary>
    public sealed record Off : ReactOutcome;
}

/// <summary>
/// Readers' likes and page reactions, for every entry point: one per reader per target (the same
/// reader id twice is one like), a flood guard per IP claimed in the accept guards as a comment's
/// is, and the counts kept beside the thread's view by <see cref="ReactionTallies"/>.
/// </summary>
public sealed class ReaderReactions(
    ICommentStore comments, IReactionStore store, ReactionTallies tallies, IAcceptGuards guards, GuardKeys keys,
    IOptions<ReactionOptions> options, TimeProvider clock, ILogger<ReaderReactions> logger)
{
    public const int MinReaderLength = 16;
    public const int MaxReaderLength = 64;

    /// <summary>Adds (<paramref name="add"/>) or removes the reaction; <paramref name="ip"/> is the client's, for the flood guard.</summary>
    public async Task<ReactOutcome> ReactAsync(Reaction reaction, bool add, string? ip, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return new ReactOutcome.Off();
        if (CommentValidator.ThreadProblem(reaction.Thread) is { } threadProblem)
            return new ReactOutcome.Invalid("thread", threadProblem);
        if (!IsReaderId(reaction.Reader))
            return new ReactOutcome.Invalid("reader", $"reader must be the widget's random reader id: {MinReaderLength} to {MaxReaderLength} letters, digits, '-' or '_'.");
        if ((reaction.Comment is null) == (reaction.Emoji is null))
            return new ReactOutcome.Invalid("comment", "Give either comment (a like) or emoji (a page reaction), not both.");
        string target;
        if (reaction.Comment is { } id)
        {
            if (!CommentId.IsWellFormed(id))
                return new ReactOutcome.Invalid("comment", "comment must be the id of a comment of this thread.");
            if (await comments.GetAsync(reaction.Thread!, id, cancellationToken) is not { IsPublished: true })
                return new ReactOutcome.NotFound("comment", "There is no published comment with this id in this thread.");
            target = Targets.Like(id);
        }
        else
        {
            if (!settings.Emoji.Contains(reaction.Emoji!, StringComparer.Ordinal))
                return new ReactOutcome.Invalid("emoji", "emoji must be one of this site's page reactions: " + string.Join(" ", settings.Emoji) + ".");
            target = Targets.PageEmoji(reaction.Emoji!);
        }

        if (settings.FloodMilliseconds > 0 && ip is not null && await FloodWaitAsync(ip, settings, cancellationToken) is { } wait)
            return new ReactOutcome.TooFast(Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));

        var threadKey = ThreadKey.For(reaction.Thread!);
        // The reader id is kept only as a keyed hash: the table cannot be read back into ids that
        // would let someone else take a reader's likes away.
        var reader = keys.Flood("reader\n" + reaction.Reader);
        if (add)
            await store.AddAsync(threadKey, target, reader, cancellationToken);
        else
            await store.RemoveAsync(threadKey, target, reader, cancellationToken);
        // Recounted even when the row was there already: a retry after a crash between the row
        // and the tally repairs the count.
        var counts = await tallies.RecountAsync(threadKey, target, cancellationToken);
        return new ReactOutcome.Counted(counts.CountOf(target));
    }

    /// <summary>The thread's counts as published (an empty document when it has none).</summary>
    public Task<Threads.ViewDocument> CountsAsync(string thread, string? ifNoneMatch, CancellationToken cancellationToken) =>
        tallies.ReadAsync(ThreadKey.For(thread), ifNoneMatch, cancellationToken);

    public static bool IsReaderId(string? reader) =>
        reader is { Length: >= MinReaderLength and <= MaxReaderLength } && reader.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private async Task<TimeSpan?> FloodWaitAsync(string ip, ReactionOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            return await guards.ClaimFloodSlotAsync([keys.Flood("reaction:" + CommentAcceptance.FloodNetwork(ip))],
                TimeSpan.FromMilliseconds(settings.FloodMilliseconds), clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As for comments: the guard protects the owner, and steps aside when its storage does not answer.
            logger.LogWarning(e, "Reaction flood check skipped: its storage did not answer");
            return null;
        }
    }
}
