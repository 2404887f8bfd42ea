using ServerlessComments.Comments;

namespace ServerlessComments.Moderation;

public enum SpamAnswer { Ham, Spam, Discard, Unavailable }

/// <summary>What a spam service needs to judge a comment, or to learn from the owner's decision.</summary>
public sealed record SpamCheck(
    string? Ip, string? UserAgent, string? Referrer, string? Permalink, bool IsReply,
    string Author, string Email, string? Website, string Body, DateTimeOffset CreatedAt, string? Honeypot)
{
    public static SpamCheck From(CommentSubmission c) =>
        new(c.Ip, c.UserAgent, c.Referrer, c.PageUrl, c.ParentId is not null, c.Author, c.Email, c.Website, c.Body, c.CreatedAt, c.Honeypot);

    public static SpamCheck From(StoredComment c) =>
        new(c.Ip, c.UserAgent, c.Referrer, c.PageUrl, c.ParentId is not null, c.Author, c.Email, c.Website, c.Body, c.CreatedAt, c.Honeypot);
}

/// <summary>
/// A third-party spam service (Akismet). Every failure (an error status, a refused key, a
/// timeout) is the answer <see cref="SpamAnswer.Unavailable"/>, never an exception, so that the
/// moderation rules decide what it means.
/// </summary>
public interface ISpamService
{
    bool IsConfigured { get; }
    Task<(SpamAnswer Answer, string Detail)> CheckAsync(SpamCheck comment, CancellationToken cancellationToken);
    /// <summary>Tells the service the owner's correction; true when it took it.</summary>
    Task<bool> SubmitAsync(SpamCheck comment, bool isSpam, CancellationToken cancellationToken);
    /// <summary>"valid", "invalid", or "unavailable" when the service did not answer.</summary>
    Task<string> VerifyKeyAsync(CancellationToken cancellationToken);
}
