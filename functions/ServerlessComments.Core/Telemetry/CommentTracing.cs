using System.Diagnostics;

namespace ServerlessComments.Telemetry;

/// <summary>
/// The comment's trace: one per comment, from the POST through the queue to its processing and
/// its emails. The queue breaks the call chain, so each job carries the W3C trace context
/// (<c>traceparent</c>, <c>tracestate</c>) of the step that queued it, and the step that takes it
/// up starts its activity as a child of that. Without a listener (no exporter configured) no
/// activity is created and this costs nothing.
/// </summary>
public static class CommentTracing
{
    /// <summary>The name of the activity source and of the meter: what a host's OpenTelemetry listens to.</summary>
    public const string Name = "ServerlessComments";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>The trace context to carry in a job queued now: the current activity's, or, when
    /// there is none (nobody listens), the one the work came with, so that the trace still holds.</summary>
    public static (string? TraceParent, string? TraceState) Now(string? cameWith = null, string? cameWithState = null) =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current
            ? (current.Id, current.TraceStateString)
            : (cameWith, cameWithState);

    /// <summary>Starts the step that takes up a queued job, as a child of the step that queued it.
    /// The host's own activity for the delivery (the queue trigger's invocation), if any, stays in
    /// its own trace and is linked, so either can be found from the other. Internal, not Consumer:
    /// Application Insights makes a Consumer span a row of <c>requests</c>, where the host already
    /// writes one per execution and the failure-rate alert counts them.</summary>
    public static Activity? StartFromQueue(string name, string? traceParent, string? traceState)
    {
        if (!Source.HasListeners())
            return null;
        var links = Activity.Current is { } delivery ? new[] { new ActivityLink(delivery.Context) } : null;
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent, links: links)
            : Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext), links: links);
    }

    /// <summary>Runs a step inside its span: a failure marks the span as failed and goes on to the caller (the queue's retries).</summary>
    public static async Task TracedAsync(Activity? activity, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }
}
