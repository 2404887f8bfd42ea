using System.Diagnostics;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The self-host's OTLP export, end to end: a comment posted with a trace context is one
/// trace from the HTTP request through the queue to its processing and its email.</summary>
[Collection(StorageCollection.Name)]
public sealed class SelfHostTelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_comment_is_one_trace_from_the_post_through_the_queue_to_its_email()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export within a second, not the defaults' 5 and 60 seconds.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["Notifications__OwnerEmail"] = "owner@blog.example.com",
        });

        // The page's own trace (a browser's, a proxy's): the comment's trace continues it.
        var caller = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();
        var id = await host.PostAcceptedAsync(new { thread = "/traced/", author = "Ann", email = "ann@example.com", body = "Traced" },
            request => request.Headers.Add("traceparent", $"00-{caller}-{callerSpan}-01"));

        FakeOtlpCollector.Span? Find(string name) => collector.Spans.FirstOrDefault(s => s.Name == name && s.Attributes.GetValueOrDefault("comment.id") == id);
        await Eventually.HoldsAsync(() => Task.FromResult(Find("email.send") is not null), "the email's span to be exported", TimeSpan.FromSeconds(60));

        var accept = Find("comment.accept")!;
        var process = Find("comment.process")!;
        var email = Find("email.send")!;
        var request = Assert.Single(collector.Spans, s => s.SpanId == accept.ParentSpanId);
        Assert.Equal(callerSpan, request.ParentSpanId);
        Assert.All(new[] { request, accept, process, email }, span => Assert.Equal(caller, span.TraceId));
        Assert.Equal(accept.SpanId, process.ParentSpanId);
        Assert.Equal(process.SpanId, email.ParentSpanId);

        // And the meter is exported, the poison gauge with it (after its first read of the queues).
        await Eventually.HoldsAsync(() => Task.FromResult(new[] { "comments.accepted", "comments.published", "emails.sent", "comments.poison.depth" }
            .All(collector.Metrics.ContainsKey)), "the metrics to be exported", TimeSpan.FromSeconds(30));
    }
}
