using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ServerlessComments.Accepting;
using ServerlessComments.Telemetry;
using static ServerlessComments.Tests.Core.CoreWorld;

namespace ServerlessComments.Tests.Core;

/// <summary>The operator's numbers and the comment's trace, over the in-memory ports.</summary>
public sealed class TelemetryTests
{
    private static MetricCollector<long> Counter(CoreWorld world, string name) => new(world.Meters, CommentTracing.Name, name);

    private static long Total(MetricCollector<long> counter, string? tag = null, string? value = null) =>
        counter.GetMeasurementSnapshot().Where(m => tag is null || Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    [Fact]
    public async Task What_becomes_of_each_comment_is_counted_once_with_its_reason()
    {
        var world = new CoreWorld();
        world.SpamSettings.FloodSeconds = 60;
        world.ModerationSettings.Mode = "first-time";
        using var accepted = Counter(world, "comments.accepted");
        using var refused = Counter(world, "comments.refused");
        using var published = Counter(world, "comments.published");
        using var held = Counter(world, "comments.held");
        using var visible = new MetricCollector<double>(world.Meters, CommentTracing.Name, "comments.accept_to_visible");

        // A first-time author is held; once approved, they are known and published at once.
        var first = Id(await world.PostAsync(Form(body: "First")));
        Assert.Equal(1, Total(held));
        Assert.Equal(0, Total(published));
        await world.Owner.DecideAsync(first, Owner.OwnerDecisions.Approve, default);
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(Form(body: "Second")));
        Assert.Equal(1, Total(published));
        Assert.Single(visible.GetMeasurementSnapshot());

        // Refused at the door, each with its reason.
        Assert.IsType<AcceptOutcome.Invalid>(await world.PostAsync(Form(body: "")));
        Assert.IsType<AcceptOutcome.TooFast>(await world.PostAsync(Form(body: "Third, too soon")));
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.IsType<AcceptOutcome.Duplicate>(await world.PostAsync(Form(body: "Second")));

        Assert.Equal(2, Total(accepted));
        Assert.Equal(3, Total(refused));
        Assert.Equal(1, Total(refused, "reason", CommentMetrics.Refusal.Validation));
        Assert.Equal(1, Total(refused, "reason", CommentMetrics.Refusal.Flood));
        Assert.Equal(1, Total(refused, "reason", CommentMetrics.Refusal.Duplicate));

        // A redelivery stores nothing new, so it counts nothing new.
        var again = world.Store.All.Single(c => c.Body == "Second");
        await world.Processing.ProcessAsync(System.Text.Json.JsonSerializer.Serialize(new { again.Id, again.Thread, again.Author, again.Email, again.Body, again.CreatedAt },
            Comments.CommentJson.Options), default);
        Assert.Equal(1, Total(published));
        Assert.Single(visible.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Emails_are_counted_by_kind()
    {
        var world = new CoreWorld();
        using var sent = Counter(world, "emails.sent");
        using var retried = Counter(world, "emails.retried");
        await world.PostAsync(Form());
        await world.SendEmailsAsync();
        Assert.Equal(1, Total(sent, "kind", "owner"));

        world.Mail.Answer = _ => new Notifications.SendResult(false, TimeSpan.FromSeconds(30), "429");
        await world.PostAsync(Form(body: "Another"));
        await world.SendEmailsAsync();
        Assert.Equal(1, Total(retried, "kind", "owner"));
        Assert.Equal(1, Total(sent));
    }

    [Fact]
    public async Task A_comment_and_its_emails_are_one_trace_across_the_queues()
    {
        var world = new CoreWorld();
        // Other tests may trace at the same time: only this comment's spans count.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CommentTracing.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        // The jobs cross the in-memory queues as JSON, as they cross the real ones.
        var id = Id(await world.PostAsync(Form()));
        await world.SendEmailsAsync();

        bool Of(Activity s, string name) => s.OperationName == name && s.GetTagItem("comment.id") as string == id;
        var accept = Assert.Single(spans, s => Of(s, "comment.accept"));
        var process = Assert.Single(spans, s => Of(s, "comment.process"));
        var email = Assert.Single(spans, s => Of(s, "email.send"));
        Assert.Equal(accept.TraceId, process.TraceId);
        Assert.Equal(accept.SpanId, process.ParentSpanId);
        Assert.Equal(process.TraceId, email.TraceId);
        Assert.Equal(process.SpanId, email.ParentSpanId);
        Assert.Contains(spans, s => s.OperationName == "comment.judge" && s.ParentSpanId == process.SpanId);
    }
}
