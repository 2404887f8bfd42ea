using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Texts;

namespace ServerlessComments.Accepting;

/// <summary>What the request that brought a comment tells the spam check: never public.</summary>
public sealed record ClientInfo(string? Ip, string? UserAgent, string? Referrer)
{
    public static readonly ClientInfo None = new(null, null, null);
}

/// <summary>Who is posting: a reader through the API, or the owner's own loader (demo data,
/// imports), which keeps original dates and is not held to a reader's posting speed.</summary>
public enum CommentSource { Reader, Owner }

/// <summary>What became of a comment offered for acceptance.</summary>
public abstract record AcceptOutcome
{
    public sealed record Accepted(CommentSubmission Comment) : AcceptOutcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : AcceptOutcome;
    public sealed record Duplicate(string Message) : AcceptOutcome;
    public sealed record TooFast(int Seconds, string Message) : AcceptOutcome;
}

/// <summary>
/// Accepting a comment, for every entry point (the HTTP API, the demo loader): validate, check
/// the parent, apply the duplicate and flood guards, queue it. Nothing slow happens here: the
/// spam check and storage are the processor's.
/// </summary>
public sealed class CommentAcceptance(
    ICommentStore store, IAcceptGuards guards, IJobQueue jobs, IOptions<SpamOptions> spam, TimeProvider clock, ILogger<CommentAcceptance> logger)
{
    public const int MaxHoneypotLength = 200;

    public async Task<AcceptOutcome> AcceptAsync(CommentForm form, ClientInfo client, CommentSource source, CancellationToken cancellationToken,
        DateTimeOffset? postedAt = null)
    {
        var acceptedAt = postedAt ?? clock.GetUtcNow();
        var result = CommentValidator.Validate(form, CommentId.New(acceptedAt), acceptedAt);
        if (!result.IsValid)
            return new AcceptOutcome.Invalid(result.Errors);
        var comment = result.Submission! with
        {
            Ip = client.Ip,
            UserAgent = client.UserAgent,
            Referrer = client.Referrer,
            // A filled honeypot is judged spam later, while the bot still gets its 202.
            Honeypot = string.IsNullOrEmpty(form.Hp) ? null : form.Hp.Length > MaxHoneypotLength ? form.Hp[..MaxHoneypotLength] : form.Hp,
        };

        if (comment.ParentId is not null && !await store.ExistsAsync(comment.Thread, comment.ParentId, cancellationToken))
            return new AcceptOutcome.Invalid(new Dictionary<string, string[]> { ["parentId"] = [CommentValidator.UnknownParent] });

        var say = Strings.For(comment.Lang);
        var fingerprint = spam.Value.RefuseDuplicates ? Fingerprint(comment) : null;
        try
        {
            if (fingerprint is not null && !await guards.TryRememberAsync(fingerprint, cancellationToken))
                return new AcceptOutcome.Duplicate(say.Reader("duplicate"));

            if (source == CommentSource.Reader && spam.Value.FloodSeconds > 0)
            {
                var keys = new List<string> { "email:" + comment.Email.ToLowerInvariant() };
                if (comment.Ip is not null)
                    keys.Insert(0, "ip:" + comment.Ip);
                if (await guards.ClaimFloodSlotAsync(keys, TimeSpan.FromSeconds(spam.Value.FloodSeconds), acceptedAt, cancellationToken) is { } wait)
                {
                    await ForgetAsync(fingerprint);
                    var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                    return new AcceptOutcome.TooFast(seconds, say.Reader("tooFast", ("seconds", seconds)));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The guards protect the owner, not the comment: when their storage does not answer
            // they step aside rather than refuse a reader.
            logger.LogWarning(e, "Duplicate and flood checks skipped for comment {CommentId}: their storage did not answer", comment.Id);
        }

        try
        {
            await jobs.EnqueueCommentAsync(comment, delay: null, cancellationToken);
        }
        catch
        {
            // Not accepted after all: the reader may send the same text again.
            await ForgetAsync(fingerprint);
            throw;
        }
        logger.LogDebug("Comment {CommentId} accepted for thread {Thread}", comment.Id, comment.Thread);
        return new AcceptOutcome.Accepted(comment);
    }

    private async Task ForgetAsync(string? fingerprint)
    {
        if (fingerprint is null)
            return;
        try
        {
            await guards.ForgetAsync(fingerprint, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A refused comment's duplicate marker could not be removed");
        }
    }

    /// <summary>The same address (without case) posting the same text to the same thread.</summary>
    internal static string Fingerprint(CommentSubmission c) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.ThreadKey + "\n" + c.Email.ToLowerInvariant() + "\n" + c.Body)));
}
