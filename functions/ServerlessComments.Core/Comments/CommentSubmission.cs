using System.Text.Json.Serialization;

namespace ServerlessComments.Comments;

/// <summary>
/// The raw JSON a page posts to <c>POST /api/comments</c>. Every field is optional here so that
/// validation, not deserialization, says what is missing; unknown properties are ignored.
/// </summary>
public sealed class CommentForm
{
    public string? Thread { get; set; }
    public string? PageUrl { get; set; }
    public string? PageTitle { get; set; }
    public string? ParentId { get; set; }
    public string? Author { get; set; }
    public string? Email { get; set; }
    public string? Website { get; set; }
    public string? Body { get; set; }
    public bool? NotifyOnReply { get; set; }
    /// <summary>The honeypot: a form field hidden from people. Anything in it marks a bot.</summary>
    public string? Hp { get; set; }
    /// <summary>The page's language (BCP 47, e.g. <c>fr</c>), for emails to this commenter.</summary>
    public string? Lang { get; set; }
    /// <summary>The solved proof-of-work challenge (see <c>Accepting.Challenges</c>), Base64 of its JSON.</summary>
    public string? Proof { get; set; }
}

/// <summary>
/// A comment that passed validation and was accepted (<c>202</c>): what travels on the queue
/// from the HTTP function to the processor. Its fields are already trimmed, capped and checked.
/// </summary>
public sealed record CommentSubmission
{
    public required string Id { get; init; }
    public required string Thread { get; init; }
    public string? ParentId { get; init; }
    public string? PageUrl { get; init; }
    public string? PageTitle { get; init; }
    public required string Author { get; init; }
    public required string Email { get; init; }
    public string? Website { get; init; }
    public required string Body { get; init; }
    public bool NotifyOnReply { get; init; }
    public string? Lang { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    // What the spam check needs about the request, captured when it was accepted. The IP and
    // user agent are for spam handling only: never public, erased after Privacy__RetentionDays.
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? Referrer { get; init; }
    public string? Honeypot { get; init; }
    /// <summary>Why the comment came without a valid proof of work, when the owner holds such comments
    /// (<c>Challenge__Missing=hold</c>) rather than refusing them.</summary>
    public string? Unproven { get; init; }

    /// <summary>How many times the spam check has been put off (Akismet unavailable).</summary>
    public int Attempt { get; init; }

    /// <summary>The W3C trace context of the request that accepted it (<c>traceparent</c>,
    /// <c>tracestate</c>), so that its processing joins the same trace. Optional: messages queued
    /// before it existed, or by hand, still parse.</summary>
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }

    /// <summary>Set when this message is not a new comment but its author's edit of comment
    /// <see cref="Id"/>, accepted at this time (<c>PUT /api/comments/{id}</c>): <see cref="Body"/> is the new text.</summary>
    public DateTimeOffset? EditAt { get; init; }

    /// <summary>Set by the queue when it carried the comment another way than in the message
    /// itself (one too large for a queue message): what it needs to let that go. Never sent.</summary>
    [JsonIgnore]
    public string? QueueReceipt { get; init; }

    [JsonIgnore]
    public string ThreadKey => Comments.ThreadKey.For(Thread);
}
