using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Telemetry;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Core;
using ServerlessComments.Adapters.Queues;

namespace ServerlessComments.Tests.Unit;

public sealed class PoisonDepthGaugeTests
{
    [Fact]
    public async Task The_gauge_reports_each_poison_queue_and_reads_storage_at_most_once_a_minute()
    {
        using var meters = new TestMeterFactory();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var depth = 0;
        var gauge = new PoisonDepthGauge(_ => Task.FromResult<IReadOnlyDictionary<string, int>>(
            new Dictionary<string, int> { ["comments"] = depth, ["notifications"] = 0 }), new CommentMetrics(meters), clock, NullLogger<PoisonDepthGauge>.Instance);
        using var collector = new MetricCollector<int>(meters, CommentTracing.Name, PoisonDepthGauge.Name);

        depth = 2;
        collector.RecordObservableInstruments(); // starts the first read
        await Eventually.HoldsAsync(() =>
        {
            collector.RecordObservableInstruments();
            return Task.FromResult(collector.LastMeasurement is not null);
        }, "the first read to be reported");
        var comments = collector.GetMeasurementSnapshot().Last(m => Equals(m.Tags["queue"], "comments"));
        Assert.Equal(2, comments.Value);
        Assert.Contains(collector.GetMeasurementSnapshot(), m => Equals(m.Tags["queue"], "notifications"));

        // Collections within the minute report the cached depths without reading storage.
        depth = 5;
        for (var i = 0; i < 10; i++)
            collector.RecordObservableInstruments();
        Assert.Equal(1, gauge.Reads);
        Assert.Equal(2, collector.GetMeasurementSnapshot().Last(m => Equals(m.Tags["queue"], "comments")).Value);

        clock.Advance(PoisonDepthGauge.Refresh);
        collector.RecordObservableInstruments();
        await Eventually.HoldsAsync(() =>
        {
            collector.RecordObservableInstruments();
            return Task.FromResult(collector.GetMeasurementSnapshot().Last(m => Equals(m.Tags["queue"], "comments")).Value == 5);
        }, "the next minute's read to be reported");
        Assert.Equal(2, gauge.Reads);
    }
}
