using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Moderation;

/// <summary>
/// The chain of checks behind every comment: the built-in defences, then the spam service (Akismet) when it is
/// configured, then the moderation mode. The strongest decision wins and every check's reason is
/// kept. A configured Akismet never lets a comment through unchecked: while it does not answer,
/// the comment is judged again later, and after <see cref="SpamRetryOptions.MaxRetries"/> it is held.
/// </summary>
public sealed class ModerationPipeline(
    IOptions<SpamOptions> spam,
    IOptions<ModerationOptions> moderation,
    IOptions<SpamRetryOptions> retries,
    ISpamService spamService,
    IAuthorRecords authors,
    OwnerRules ownerRules,
    OwnerIdentity owner,
    Filter.SpamFilter filter) : ICommentModeration
{
    public const string SpamCheckUnavailable = "spam check unavailable";

    public async ValueTask<Verdict> JudgeAsync(CommentSubmission comment, CancellationToken cancellationToken)
    {
        var builtIn = BuiltInDefences.Judge(comment, spam.Value, await ownerRules.CurrentAsync(cancellationToken));
        if (builtIn.Decision >= Decision.Spam)
            return builtIn;
        var decision = builtIn.Decision;
        var reasons = new List<string>(builtIn.Reasons);

        if (spamService.IsConfigured)
        {
            var (answer, detail) = await spamService.CheckAsync(SpamCheck.From(comment), cancellationToken);
            switch (answer)
            {
                case SpamAnswer.Discard:
                    return Verdict.Discard(detail);
                case SpamAnswer.Spam:
                    return new Verdict(Decision.Spam, [detail, .. reasons]);
                case SpamAnswer.Ham:
                    reasons.Add(detail);
                    break;
                case SpamAnswer.Unavailable when comment.Attempt < retries.Value.MaxRetries:
                    return Verdict.Later(retries.Value.RetryDelay(comment.Attempt), detail);
                default:
                    decision = Decision.Hold;
                    reasons.Add(SpamCheckUnavailable);
                    reasons.Add(detail);
                    break;
            }
        }

        // The learning filter only ever raises a decision: above its spam threshold the comment is
        // spam (no owner email), above its hold threshold it is held, below it the mode decides.
        string? filterNote = null;
        if (await filter.ScoreAsync(comment, cancellationToken) is { } score)
        {
            switch (filter.Options.Decide(score.Probability))
            {
                case Decision.Spam:
                    return new Verdict(Decision.Spam, [score.Reason, .. reasons]);
                case Decision.Hold:
                    decision = Decision.Hold;
                    reasons.Add(score.Reason);
                    break;
                default:
                    filterNote = score.Reason;
                    break;
            }
        }

        // A reader borrowing the owner's address or name: held whatever the mode, and never a
        // known author (an address every email shows proves nothing).
        var impersonation = owner.Impersonation(comment.Email, comment.Author);
        if (impersonation is not null)
        {
            decision = Decision.Hold;
            reasons.Add("looks like the owner: " + impersonation);
        }

        switch (moderation.Value.ParsedMode)
        {
            case ModerationMode.All:
                decision = Decision.Hold;
                reasons.Add("moderation mode: all comments are held");
                break;
            case ModerationMode.FirstTime when impersonation is null && !await authors.IsKnownAuthorAsync(comment.Email, comment.Author, cancellationToken):
                decision = Decision.Hold;
                reasons.Add("first comment from this email address and name");
                break;
        }

        // The filter's low score, for the owner who reviews a comment held for another reason.
        if (decision != Decision.Publish && filterNote is not null)
            reasons.Add(filterNote);
        if (reasons.Count == 0)
            reasons.Add("passed every check");
        return new Verdict(decision, reasons);
    }
}
