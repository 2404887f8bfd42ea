using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessComments.Comments;
using ServerlessComments.Testing;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// Issue 19's hot threads: draining N comments queued for one thread (N = 100, 1,000, 10,000 by
/// default; <c>--drain 10000</c> for one size) beside the raw receive-16, insert, delete loop in
/// the same Azurite; the time from <c>202</c> to visible for a comment posted to that thread once
/// it holds N; and the peers' workload (<c>--posts-only</c>): 16 clients posting for 10 s into
/// one thread, then 16 for 10 s each post into a fresh thread, and how long after the last
/// <c>202</c> everything is visible. Each size gets a fresh Azurite and self-host.
/// </summary>
public static class HotThreadBench
{
    private static readonly Dictionary<string, string> Polling = new() { ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.100" };

    public static async Task<int> RunAsync(string[] args, int clients, int seconds)
    {
        var at = Array.IndexOf(args, "--drain");
        var sizes = at >= 0 && at + 1 < args.Length
            ? args[at + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList()
            : [100, 1000, 10_000];
        var lines = new List<string>();
        var met = true;
        var visibleMedians = new Dictionary<int, double>();
        if (!args.Contains("--posts-only"))
        {
            foreach (var size in sizes)
            {
                var (ours, raw, visible) = await DrainAsync(size);
                var ratio = ours / raw;
                var target = size >= 10_000 ? (ratio >= 0.6 ? " (met)" : " (NOT met)") : "";
                met &= size < 10_000 || ratio >= 0.6;
                lines.Add($"drain {size,6:N0} into one thread   ours {ours,6:F0} msg/s   raw {raw,6:F0} msg/s   ratio {ratio:F2}{(size >= 10_000 ? "  target >= 0.6" + target : "")}");
                visibleMedians[size] = visible.Order().ElementAt(visible.Count / 2);
                lines.Add($"202 to visible, thread of {size,6:N0}   median {visibleMedians[size],6:F0} ms   max {visible.Max(),6:F0} ms   ({visible.Count} posts, one at a time)");
            }
            if (visibleMedians.TryGetValue(100, out var small) && visibleMedians.TryGetValue(10_000, out var big))
            {
                var ok = big <= 2 * small;
                met &= ok;
                lines.Add($"202 to visible, 10,000 vs 100: {big / small:F2} x   target <= 2 x {(ok ? "(met)" : "(NOT met)")}");
            }
        }
        if (!args.Contains("--drain-only"))
        {
            var (hot, fresh, hotVisible, allVisible) = await PostsAsync(clients, TimeSpan.FromSeconds(seconds));
            var ok = allVisible <= TimeSpan.FromSeconds(30);
            met &= ok;
            lines.Add($"POST {clients} clients {seconds} s into one thread: {hot} accepted; all visible {hotVisible.TotalSeconds:F1} s after its last 202");
            lines.Add($"then {clients} clients {seconds} s into fresh threads: {fresh} accepted; everything visible {allVisible.TotalSeconds:F1} s after the last 202   target <= 30 s {(ok ? "(met)" : "(NOT met)")}");
        }
        Console.WriteLine();
        foreach (var line in lines)
            Console.WriteLine(line);
        return met ? 0 : 1;
    }

    private static async Task<(double Ours, double Raw, List<double> Visible)> DrainAsync(int size)
    {
        await using var azurite = await Azurite.StartAsync();
        var storage = azurite.ConnectionString;
        await using var host = await SelfHost.StartAsync(storage, Polling);

        var rawElapsed = await Backlog.RawDrainAsync(storage, "hot", size, i => Submission(i, "/bench/raw-hot/"));
        Progress($"raw drain of {size} measured ({rawElapsed.TotalSeconds:F1} s)");

        // Ours: the messages sent invisible, all turning visible at one instant, so the clock
        // starts with a full queue; stopped when the queue is empty and the view counts them all.
        const string thread = "/bench/hot/";
        var visibleAt = await Backlog.FillAsync(host.Queue, size, i => Submission(i, thread), TimeSpan.FromSeconds(5 + size / 250.0));
        var wait = visibleAt - DateTimeOffset.UtcNow;
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var ourClock = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () => (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 && await Backlog.CountAsync(host, thread) == size,
            "the backlog to drain", TimeSpan.FromMinutes(15), TimeSpan.FromMilliseconds(50));
        ourClock.Stop();
        Progress($"drain of {size} measured ({ourClock.Elapsed.TotalSeconds:F1} s)");

        // Then comments posted one at a time to that thread, each watched from its 202 until
        // the first page (newest first) shows it.
        var visible = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await host.Http.PostAsync("api/comments", Json(Form(900_000 + i, thread)));
            var clock = Stopwatch.StartNew();
            if ((int)response.StatusCode != 202)
                throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            while (!(await host.Http.GetStringAsync("api/comments?order=newest&thread=" + Uri.EscapeDataString(thread))).Contains(id, StringComparison.Ordinal))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                    throw new TimeoutException($"comment {id} did not show within 60 s");
                await Task.Delay(10);
            }
            visible.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(300);
        }
        return (size / ourClock.Elapsed.TotalSeconds, size / rawElapsed.TotalSeconds, visible);
    }

    private static async Task<(int Hot, int Fresh, TimeSpan HotVisible, TimeSpan AllVisible)> PostsAsync(int clients, TimeSpan duration)
    {
        await using var azurite = await Azurite.StartAsync();
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, Polling);
        const string hotThread = "/bench/peers-hot/";
        var accepted = 0; // the warm-up's posts too: every 202 must show
        async Task<bool> Post(int i, string thread)
        {
            using var response = await host.Http.PostAsync("api/comments", Json(Form(i, thread)));
            if ((int)response.StatusCode != 202)
                return false;
            Interlocked.Increment(ref accepted);
            return true;
        }

        var hot = await Load.RunAsync("POST into one thread", clients, duration, i => Post(i, hotThread));
        var hotDone = Stopwatch.StartNew();
        var hotAccepted = Volatile.Read(ref accepted);
        var hotVisible = Task.Run(async () =>
        {
            await Eventually.HoldsAsync(async () => await Backlog.CountAsync(host, hotThread) == hotAccepted, "the hot thread to show every comment",
                TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(200));
            return hotDone.Elapsed;
        });
        var freshThreads = new System.Collections.Concurrent.ConcurrentBag<string>();
        var fresh = await Load.RunAsync("POST into fresh threads", clients, duration, async i =>
        {
            var thread = $"/bench/peers-fresh-{i}/";
            var ok = await Post(i, thread);
            if (ok)
                freshThreads.Add(thread);
            return ok;
        });
        var lastAccepted = Stopwatch.StartNew();
        Progress($"posted: {hot.Operations} into one thread, {fresh.Operations} into fresh threads");
        await Eventually.HoldsAsync(async () => (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            "every accepted comment to be processed", TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100));
        var hotTime = await hotVisible;
        var allVisible = lastAccepted.Elapsed;
        // Checked after the clock: every fresh thread shows its comment.
        foreach (var batch in freshThreads.Chunk(50))
        {
            var counts = (await host.Http.GetFromJsonAsync<JsonElement>("api/comments/count?" + string.Join("&", batch.Select(t => "thread=" + Uri.EscapeDataString(t)))))
                .GetProperty("counts");
            if (batch.Any(t => counts.GetProperty(t).GetInt32() != 1))
                throw new InvalidOperationException("A fresh thread does not show its comment.");
        }
        var poisoned = (await host.PoisonQueue.ExistsAsync()).Value ? (await host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        if (poisoned > 0)
            throw new InvalidOperationException($"{poisoned} comments ended in the poison queue.");
        return (hotAccepted, freshThreads.Count, hotTime, allVisible);
    }

    private static void Progress(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

    private static CommentForm Form(int i, string thread) => new()
    {
        Thread = thread, Author = $"Reader {i}", Email = $"reader{i}@example.com", Website = "https://example.org/",
        Body = $"Comment {i}: « Merci pour cet article » — une réaction assez longue pour ressembler à un vrai commentaire. 😉",
    };

    private static StringContent Json(CommentForm form) => new(JsonSerializer.Serialize(form, CommentJson.Options), Encoding.UTF8, "application/json");

    private static CommentSubmission Submission(int i, string thread)
    {
        var now = DateTimeOffset.UtcNow;
        return CommentValidator.Validate(Form(i, thread), CommentId.New(now), now).Submission!;
    }

}
