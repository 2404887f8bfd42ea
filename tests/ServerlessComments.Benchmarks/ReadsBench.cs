using System.Globalization;
using Azure.Data.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Testing;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// <c>--reads-only</c>: the reads of issue 19, each beside its raw-storage baseline in the same run
/// against the same Azurite: counts of 20 threads (vs 20 table point reads, and vs one raw read
/// of counts.json) and the GET of a 100-comment thread with the page size at 100 (vs one raw read
/// of the same stored view); then the self-host's peak RSS.
/// </summary>
public static class ReadsBench
{
    public static async Task<int> RunAsync(int clients, TimeSpan duration)
    {
        Console.WriteLine($"Reads benchmark: {clients} concurrent clients, {duration.TotalSeconds:F0} s per phase");
        await using var azurite = await Azurite.StartAsync();
        var storage = azurite.ConnectionString;
        await using var host = await SelfHost.StartAsync(storage, new Dictionary<string, string> { ["Threads__PageSize"] = "100" });
        var threads = new StoredThreads(storage, host, pageSize: 100);
        var twenty = Enumerable.Range(0, 20).Select(i => $"/bench/count-{i}/").ToList();
        foreach (var thread in twenty)
            await threads.AddAsync(thread, 100);
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] 20 threads of 100 comments stored");

        var table = new TableClient(storage, host.Table.Name);
        var query = "api/comments/count?" + string.Join("&", twenty.Select(t => "thread=" + Uri.EscapeDataString(t)));
        var document = threads.Counts.Blob;
        var view = threads.Views.Container.GetBlobClient(ThreadKey.For(twenty[0]) + "/oldest.json");

        var rawPoint = await Load.RunAsync("20 raw table point reads", clients, duration, async _ =>
        {
            var rows = await Task.WhenAll(twenty.Select(t => table.GetEntityIfExistsAsync<TableEntity>(ThreadKey.For(t), "~view", ["Count", "Thread"])));
            return rows.All(r => r.HasValue);
        });
        var rawDocument = await Load.RunAsync("1 raw read of counts.json", clients, duration, async _ =>
            (await document.DownloadContentAsync()).Value.Content.ToMemory().Length > 0);
        var counts = await Load.RunAsync("GET counts of 20", clients, duration, async _ =>
        {
            using var response = await host.Http.GetAsync(query);
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\":100", StringComparison.Ordinal);
        });
        var rawView = await Load.RunAsync("1 raw read of the stored view", clients, duration, async _ =>
            (await view.DownloadContentAsync()).Value.Content.ToMemory().Length > 0);
        var get = await Load.RunAsync("GET 100-comment thread", clients, duration, async _ =>
        {
            using var response = await host.Http.GetAsync("api/comments?thread=" + Uri.EscapeDataString(twenty[0]));
            return response.IsSuccessStatusCode && (await response.Content.ReadAsByteArrayAsync()).Length > 0;
        });
        var peakKb = PeakRssKb(host.ProcessId);

        var failures = new[] { rawPoint, rawDocument, counts, rawView, get }.Where(r => r.Failures > 0).ToList();
        Console.WriteLine();
        Console.WriteLine($"{"what",-34} {"ours",-42} {"raw baseline, same run",-42} {"ratio",6}  target");
        var met = true;
        void Row(string what, LoadResult ours, LoadResult raw, string target, bool ok)
        {
            met &= ok;
            Console.WriteLine($"{what,-34} {Describe(ours),-42} {Describe(raw),-42} {ours.PerSecond / raw.PerSecond,6:F2}  {target} {(ok ? "(met)" : "(NOT met)")}");
        }
        Row("counts of 20 vs 20 point reads", counts, rawPoint, ">= 3,000 /s, p99 <= 50 ms", counts.PerSecond >= 3000 && counts.P99Ms <= 50);
        Row("counts of 20 vs 1 read of document", counts, rawDocument, "- (info)", true);
        Row("GET 100-comment thread vs raw read", get, rawView, ">= 3 x raw, p99 <= 20 ms", get.PerSecond >= 3 * rawView.PerSecond && get.P99Ms <= 20);
        Console.WriteLine($"{"peak RSS (VmHWM), self-host",-34} {peakKb / 1024.0,7:F0} MB {"",-75}  under 250 MB {(peakKb < 250 * 1024 ? "(met)" : "(NOT met)")}");
        foreach (var f in failures)
            Console.WriteLine($"{f.Name}: {f.Failures} failed operations");
        return met && peakKb < 250 * 1024 && failures.Count == 0 ? 0 : 1;
    }

    private static string Describe(LoadResult r) => $"{r.PerSecond,7:F0} /s  p50 {r.P50Ms,5:F1} ms  p99 {r.P99Ms,6:F1} ms";

    private static long PeakRssKb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
