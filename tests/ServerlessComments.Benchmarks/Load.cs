using System.Diagnostics;

namespace ServerlessComments.Benchmarks;

/// <summary>Throughput and latency of one kind of operation, from a fixed number of concurrent clients.</summary>
public sealed record LoadResult(string Name, int Operations, int Failures, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}

public static class Load
{
    /// <summary>Runs <paramref name="operation"/> from <paramref name="clients"/> concurrent loops for
    /// <paramref name="duration"/>, after a short warm-up that is not counted.</summary>
    public static async Task<LoadResult> RunAsync(string name, int clients, TimeSpan duration, Func<int, Task<bool>> operation)
    {
        await RunLoopsAsync(clients, TimeSpan.FromSeconds(1), operation, null); // warm-up: JIT, connections
        var latencies = new List<double>[clients];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await RunLoopsAsync(clients, duration, operation, (client, ms, ok) =>
        {
            (latencies[client] ??= []).Add(ms);
            if (!ok)
                Interlocked.Increment(ref failures);
        });
        clock.Stop();
        var all = latencies.Where(l => l is not null).SelectMany(l => l).Order().ToArray();
        return new LoadResult(name, all.Length, failures, clock.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    // Unique across every loop and phase of the run, so no two operations post the same comment
    // (which the API would rightly refuse as a duplicate).
    private static int _sequence;

    private static Task RunLoopsAsync(int clients, TimeSpan duration, Func<int, Task<bool>> operation, Action<int, double, bool>? record)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await operation(Interlocked.Increment(ref _sequence));
                }
                catch (Exception)
                {
                    ok = false;
                }
                record?.Invoke(client, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok);
            }
        })));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
