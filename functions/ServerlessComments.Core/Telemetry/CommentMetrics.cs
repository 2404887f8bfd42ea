using System.Diagnostics.Metrics;

namespace ServerlessComments.Telemetry;

/// <summary>
/// The numbers an operator watches, on the meter <see cref="CommentTracing.Name"/>: what readers
/// posted and what became of it, what the emails did, and how long a comment takes to be seen.
/// The poison-queue gauge lives with the queues (it reads storage), on the same meter.
/// </summary>
public sealed class CommentMetrics
{
    /// <summary>The values of the <c>reason</c> tag of <c>comments.refused</c>.</summary>
    public static class Refusal
    {
        public const string Validation = "validation";
        public const string Duplicate = "duplicate";
        public const string Flood = "flood";
    }

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _published;
    private readonly Counter<long> _held;
    private readonly Counter<long> _spam;
    private readonly Counter<long> _discarded;
    private readonly Counter<long> _emailsSent;
    private readonly Counter<long> _emailsRetried;
    private readonly Counter<long> _emailsFailed;
    private readonly Histogram<double> _acceptToVisible;

    public CommentMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(CommentTracing.Name);
        _accepted = Meter.CreateCounter<long>("comments.accepted", description: "Comments accepted (202) and queued for processing");
        _refused = Meter.CreateCounter<long>("comments.refused", description: "Comments refused at the door, by reason (validation, duplicate, flood)");
        _published = Meter.CreateCounter<long>("comments.published", description: "Comments stored as published");
        _held = Meter.CreateCounter<long>("comments.held", description: "Comments stored as pending, for the owner to moderate");
        _spam = Meter.CreateCounter<long>("comments.spam", description: "Comments stored as spam");
        _discarded = Meter.CreateCounter<long>("comments.discarded", description: "Blatant spam dropped without being stored");
        _emailsSent = Meter.CreateCounter<long>("emails.sent", description: "Emails handed to the mail service, by kind (owner, reply)");
        _emailsRetried = Meter.CreateCounter<long>("emails.retried", description: "Emails put off for a retry (the mail service asked to wait), by kind");
        _emailsFailed = Meter.CreateCounter<long>("emails.failed", description: "Emails given up on after the last retry, by kind (the job goes to the poison queue)");
        _acceptToVisible = Meter.CreateHistogram<double>("comments.accept_to_visible", unit: "ms",
            description: "Time from a comment's acceptance to its thread's view showing it");
    }

    /// <summary>The meter, for instruments that live elsewhere (the poison-queue gauge).</summary>
    public Meter Meter { get; }

    public void Accepted() => _accepted.Add(1);
    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A comment newly stored with a verdict; counted once, however often it is delivered.</summary>
    public void Stored(Comments.CommentStatus status)
    {
        switch (status)
        {
            case Comments.CommentStatus.Published: _published.Add(1); break;
            case Comments.CommentStatus.Pending: _held.Add(1); break;
            case Comments.CommentStatus.Spam: _spam.Add(1); break;
        }
    }

    public void Discarded() => _discarded.Add(1);
    public void EmailSent(string kind) => _emailsSent.Add(1, Kind(kind));
    public void EmailRetried(string kind) => _emailsRetried.Add(1, Kind(kind));
    public void EmailFailed(string kind) => _emailsFailed.Add(1, Kind(kind));
    public void Visible(TimeSpan sinceAccepted) => _acceptToVisible.Record(Math.Max(0, sinceAccepted.TotalMilliseconds));

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);
}
