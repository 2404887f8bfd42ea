using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessComments.Telemetry;

namespace ServerlessComments.Adapters.Queues;

/// <summary>
/// The gauge <c>comments.poison.depth</c> (tag <c>queue</c>: comments, notifications): how many
/// messages wait in each poison queue, which the poison alert watches. A collection runs on the
/// exporter's thread and must not wait on storage, and storage is billed per request: so a
/// collection reports the last depths read, and starts a new read at most once a
/// <see cref="Refresh"/>, in the background. Until the first read answers it reports nothing.
/// </summary>
public sealed class PoisonDepthGauge : IHostedService
{
    public const string Name = "comments.poison.depth";
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);

    private readonly Func<CancellationToken, Task<IReadOnlyDictionary<string, int>>> _read;
    private readonly TimeProvider _clock;
    private readonly ILogger<PoisonDepthGauge> _logger;
    private IReadOnlyDictionary<string, int> _last = new Dictionary<string, int>();
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private int _reading;

    public PoisonDepthGauge(StorageJobQueue queues, CommentMetrics metrics, TimeProvider clock, ILogger<PoisonDepthGauge> logger)
        : this(queues.PoisonDepthsAsync, metrics, clock, logger)
    {
    }

    internal PoisonDepthGauge(Func<CancellationToken, Task<IReadOnlyDictionary<string, int>>> read, CommentMetrics metrics, TimeProvider clock,
        ILogger<PoisonDepthGauge> logger)
    {
        _read = read;
        _clock = clock;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(Name, Observe, description: "Messages waiting in each poison queue (a comment or an email that failed every retry)");
    }

    /// <summary>How many times storage was read: the cache's test.</summary>
    internal int Reads;

    internal IEnumerable<Measurement<int>> Observe()
    {
        if (_clock.GetUtcNow() - _readAt >= Refresh && Interlocked.Exchange(ref _reading, 1) == 0)
        {
            _readAt = _clock.GetUtcNow();
            _ = ReadAsync();
        }
        return _last.Select(d => new Measurement<int>(d.Value, new KeyValuePair<string, object?>("queue", d.Key)));
    }

    private async Task ReadAsync()
    {
        try
        {
            Interlocked.Increment(ref Reads);
            _last = await _read(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The next read, a minute on, tries again; meanwhile the last depths stand.
            _logger.LogWarning(e, "Could not read the poison queues' depths");
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    // A hosted service only so that it exists (and its gauge with it) from the start.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
