using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessComments.Benchmarks;
using ServerlessComments.Comments;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Testing;

// The benchmark of issue 2: every figure beside a raw Azure SDK baseline measured in the same run
// against the same Azurite, because these machines are too noisy for absolute numbers to mean much.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args is ["spam-baseline", .. var corpus])
    return SpamBaseline.Run(corpus);
if (args is ["spam-filter"])
    return SpamFilterBench.Run();
if (args is ["hot-thread", ..])
    return await HotThreadBench.RunAsync(args, Option("--clients", 16), Option("--seconds", 10));
if (args is ["pow", ..])
    return PowBench.Run(Option("--max", ServerlessComments.Accepting.ChallengeOptions.DefaultMaxNumber), Option("--seconds", 5));
if (args is ["likes", ..])
    return await ReactionsBench.RunAsync(Option("--comments", 10_000), Option("--clients", 4), Option("--seconds", 10));
if (args is ["markdown", ..])
    return MarkdownBench.Run(Option("--comments", 10_000));
if (args is ["import", ..])
    return await ImportBench.RunAsync(Option("--comments", 10_000), args.SkipWhile(a => a != "--keep").Skip(1).FirstOrDefault());
var seconds = Option("--seconds", 10);
var clients = Option("--clients", 16);
var drainCount = Option("--drain", 1000);
var duration = TimeSpan.FromSeconds(seconds);

Console.WriteLine($"ServerlessComments benchmark: {clients} concurrent clients, {seconds} s per load phase, {drainCount} comments to drain ({Repo.Configuration} build)");
var base64 = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
var rows = new List<(string What, string Ours, string Raw, double Ratio, string Target, bool Met)>();
var peaks = new List<(string Host, long PeakKb)>();
LoadResult? busy = null;
const string AdminKey = "benchmark-owner-key-0123456789abcdef";
var only = args.Contains("--read-model-only");
if (args.Contains("--reads-only"))
    return await ReadsBench.RunAsync(clients, duration);

// Each phase gets a fresh in-memory Azurite: a deep queue left by one phase (or deleting it) keeps
// Azurite's single Node thread busy for minutes and would distort the next phase.

if (!only)
{
// 1. Accepting comments. The processor is switched off in these hosts (the WebJobs SDK's
//    AzureWebJobs.<name>.Disabled setting) so both sides measure the enqueue path alone. Each side
//    has its own fresh Azurite: Azurite slows as it holds more messages, which would handicap
//    whichever side ran second. The target row is the pipeline's own path (validation, one
//    enqueue), with the storage-backed guards off; the row after it has the duplicate guard on,
//    as installed (one table insert more per comment; flood control stays off, since every
//    client here shares one IP).
{
    LoadResult raw, ours, guarded;
    await using (var azurite = await Azurite.StartAsync())
    {
        var rawQueue = new QueueClient(azurite.ConnectionString, "bench-raw-accept", base64);
        await rawQueue.CreateIfNotExistsAsync();
        raw = await Load.RunAsync("raw QueueClient.SendMessage", clients, duration, async i =>
        {
            await rawQueue.SendMessageAsync(BinaryData.FromObjectAsJson(Submission(i, "/bench/accept/"), CommentJson.Options));
            return true;
        });
    }
    ours = await AcceptAsync(("Spam__RefuseDuplicates", "false"));
    guarded = await AcceptAsync(("Spam__RefuseDuplicates", "true"));
    Report("accept: POST /api/comments (guards off)", ours, raw, "throughput >= 0.8 x raw", 0.8);
    rows.Add(("accept, duplicate guard on (info)", Describe(guarded), Describe(raw), guarded.PerSecond / raw.PerSecond, "-", true));
    Progress($"accept measured: {ours.Operations} posts, {guarded.Operations} guarded posts, {raw.Operations} raw sends");
}

// 2. Draining a backlog on one processing host (reading is measured with the read model, below).
{
    await using var azurite = await Azurite.StartAsync();
    var storage = azurite.ConnectionString;
    // Polling every 100 ms, so that the drain measures processing rather than the listener's back-off.
    await using var host = await SelfHost.StartAsync(storage, Settings(("AzureFunctionsJobHost__extensions__queues__maxPollingInterval", "00:00:00.100")));

    var rawElapsed = await Backlog.RawDrainAsync(storage, "drain", drainCount, i => Submission(i, "/bench/raw-drain/"));
    Progress("raw drain measured");

    // Ours: messages sent invisible, all turning visible at one instant, so the clock starts with
    // a full queue of the stated depth.
    var visibleAt = await Backlog.FillAsync(host.Queue, drainCount, i => Submission(i, "/bench/drain/"), TimeSpan.FromSeconds(5));
    var wait = visibleAt - DateTimeOffset.UtcNow;
    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    var ourClock = Stopwatch.StartNew();
    await Eventually.HoldsAsync(async () => (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
        "the backlog to drain", TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(50));
    ourClock.Stop();
    var stored = await Backlog.CountAsync(host, "/bench/drain/");
    if (stored != drainCount)
        throw new InvalidOperationException($"Drained, but {stored} of {drainCount} comments are stored.");
    Progress("drain measured");

    var oursRate = drainCount / ourClock.Elapsed.TotalSeconds;
    var rawRate = drainCount / rawElapsed.TotalSeconds;
    rows.Add(($"drain: {drainCount} queued comments into the table",
        $"{oursRate,7:F0} msg/s  ({ourClock.Elapsed.TotalSeconds:F2} s)",
        $"{rawRate,7:F0} msg/s  ({rawElapsed.TotalSeconds:F2} s)",
        oursRate / rawRate, "throughput >= 0.6 x raw", oursRate / rawRate >= 0.6));
    peaks.Add(("processing host", PeakRssKb(host.ProcessId)));
}

}

// 4. The thread read model: page views, counts, the owner's list, and how soon a comment shows.
{
    await using var azurite = await Azurite.StartAsync();
    var storage = azurite.ConnectionString;
    await using var host = await SelfHost.StartAsync(storage, Settings(
        ("Admin__ApiKey", AdminKey), ("AzureFunctionsJobHost__extensions__queues__maxPollingInterval", "00:00:00.100")));
    var threads = new StoredThreads(storage, host);
    var table = new TableClient(storage, host.Table.Name);
    const string small = "/bench/read-100/", big = "/bench/read-10000/";
    await threads.AddAsync(small, 100);
    Progress("100-comment thread stored");
    await threads.AddAsync(big, 10_000);
    Progress("10,000-comment thread stored");

    async Task<bool> Get(string thread)
    {
        using var response = await host.Http.GetAsync("api/comments?thread=" + Uri.EscapeDataString(thread));
        return response.IsSuccessStatusCode && (await response.Content.ReadAsByteArrayAsync()).Length > 0;
    }
    var view = threads.Views.Container.GetBlobClient(ThreadKey.For(small) + "/oldest.json");
    var v1Read = await Load.RunAsync("version 1 way: partition query + tree", clients, duration, async _ => (await StoredThreads.Version1AnswerAsync(table, small)).Length > 0);
    var blobRead = await Load.RunAsync("raw read of the stored view", clients, duration, async _ => (await view.DownloadContentAsync()).Value.Content.ToMemory().Length > 0);
    var read100 = await Load.RunAsync("GET 100-comment thread", clients, duration, _ => Get(small));
    var read10k = await Load.RunAsync("GET first page of 10,000", clients, duration, _ => Get(big));
    Report("read model: GET 100 vs version 1's way", read100, v1Read, "throughput >= 3 x", 3);
    Report("read model: GET 100 vs raw view read", read100, blobRead, "throughput >= 0.8 x raw", 0.8);
    rows.Add(("read model: GET first page of 10,000", Describe(read10k), Describe(read100) + " (100)", read100.P99Ms / read10k.P99Ms,
        "p99 within 1.5 x of 100's", read10k.P99Ms <= 1.5 * read100.P99Ms));
    Progress("reads measured");

    // Counts of 20 threads in one call: 19 of 100 comments, and either one more of 100 or the 10,000 one.
    var twenty = Enumerable.Range(0, 19).Select(i => $"/bench/count-{i}/").ToList();
    foreach (var thread in twenty)
        await threads.AddAsync(thread, 100);
    var withSmall = twenty.Append(small).ToList();
    var withBig = twenty.Append(big).ToList();
    string CountQuery(List<string> names) => "api/comments/count?" + string.Join("&", names.Select(t => "thread=" + Uri.EscapeDataString(t)));
    async Task<bool> Counts(List<string> names)
    {
        using var response = await host.Http.GetAsync(CountQuery(names));
        return response.IsSuccessStatusCode;
    }
    var v1Counts = await Load.RunAsync("version 1 way: scan each thread", clients, duration, async _ =>
        (await Task.WhenAll(withSmall.Select(t => StoredThreads.Version1CountAsync(table, t)))).Sum() == 2000);
    var v1CountsBig = await Load.RunAsync("version 1 way, with the 10,000 thread", clients, TimeSpan.FromSeconds(Math.Min(seconds, 5)), async _ =>
        (await Task.WhenAll(withBig.Select(t => StoredThreads.Version1CountAsync(table, t)))).Sum() == 11_900);
    var counts = await Load.RunAsync("GET counts of 20", clients, duration, _ => Counts(withSmall));
    var countsBig = await Load.RunAsync("GET counts of 20 incl. 10,000", clients, duration, _ => Counts(withBig));
    Report("counts of 20 threads vs version 1's way", counts, v1Counts, "throughput >= 10 x", 10);
    rows.Add(("counts of 20 incl. a 10,000 thread", Describe(countsBig), Describe(counts) + " (all 100)", countsBig.PerSecond / counts.PerSecond,
        "no slower (>= 0.9)", countsBig.PerSecond >= 0.9 * counts.PerSecond));
    rows.Add(("  version 1's counts incl. the 10,000 (info)", Describe(v1CountsBig), "", v1CountsBig.PerSecond / countsBig.PerSecond, "-", true));
    Progress("counts measured");

    // The owner's list: first page of held comments with 1,000 and with 20,000 comments stored.
    async Task<bool> List()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/comments?status=pending");
        request.Headers.Authorization = new("Bearer", AdminKey);
        using var response = await host.Http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }
    // Raw baseline: the same one-partition query of the owner's list, straight through the SDK.
    // (Azurite evaluates every table query by scanning the whole table, so it slows as the table
    // grows whatever the partition; Azure Table Storage serves a partition range from its index.)
    async Task<bool> RawList()
    {
        var n = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"~status-pending"}"), maxPerPage: 51))
        {
            if (++n == 51)
                break;
        }
        return n > 0;
    }
    await threads.AddAsync("/bench/held-a/", 1000, CommentStatus.Pending);
    var list1k = await Load.RunAsync("admin list, 1,000 held", clients, duration, _ => List());
    var raw1k = await Load.RunAsync("raw list query, 1,000 held", clients, duration, _ => RawList());
    await threads.AddAsync("/bench/held-b/", 19_000, CommentStatus.Pending);
    Progress("20,000 held comments stored");
    var list20k = await Load.RunAsync("admin list, 20,000 held", clients, duration, _ => List());
    var raw20k = await Load.RunAsync("raw list query, 20,000 held", clients, duration, _ => RawList());
    rows.Add(("owner's list: first page, 20,000 vs 1,000 held", Describe(list20k), Describe(list1k), list1k.P50Ms / list20k.P50Ms,
        "p50 within 1.5 x", list20k.P50Ms <= 1.5 * list1k.P50Ms));
    rows.Add(("  raw query of that partition, 20,000 vs 1,000", Describe(raw20k), Describe(raw1k), raw1k.P50Ms / raw20k.P50Ms, "- (Azurite's scan, info)", true));
    Report("owner's list vs raw query, 1,000 held", list1k, raw1k, "throughput >= 0.5 x raw (info)", 0);
    Report("owner's list vs raw query, 20,000 held", list20k, raw20k, "throughput >= 0.5 x raw (info)", 0);
    Progress("owner's list measured");

    // From 202 to visible in GET, each client posting to its own thread and watching its first page.
    var visible = new List<double>();
    var posted = 0;
    var until = DateTime.UtcNow + duration;
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
    {
        var thread = $"/bench/visible-{client}/";
        while (DateTime.UtcNow < until)
        {
            var n = Interlocked.Increment(ref posted);
            using var response = await host.Http.PostAsync("api/comments", Json(Form(100_000 + n, thread)));
            var clock = Stopwatch.StartNew();
            var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            while (!(await host.Http.GetStringAsync("api/comments?order=newest&thread=" + Uri.EscapeDataString(thread))).Contains(id, StringComparison.Ordinal))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                    throw new TimeoutException($"comment {id} did not show within 60 s");
                await Task.Delay(20);
            }
            lock (visible)
                visible.Add(clock.Elapsed.TotalMilliseconds);
        }
    }));
    visible.Sort();
    double At(double p) => visible[Math.Min(visible.Count - 1, (int)Math.Ceiling(p * visible.Count) - 1)];
    rows.Add(("202 to visible in GET, 16 clients", $"p50 {At(0.5),6:F0} ms  p99 {At(0.99),6:F0} ms  ({visible.Count} comments)", "", double.NaN,
        "p50 within 1 s of processing (info)", true));
    peaks.Add(("read-model host", PeakRssKb(host.ProcessId)));
}

// For information: accepting while the processor drains what is accepted (Azurite serves both
// from one Node thread, so this is a floor for the emulator, not a figure for Azure).
{
    await using var azurite = await Azurite.StartAsync();
    await using var host = await SelfHost.StartAsync(azurite.ConnectionString);
    busy = await Load.RunAsync("POST while draining", clients, duration, async i =>
    {
        using var response = await host.Http.PostAsync("api/comments", Json(Form(i, "/bench/busy/")));
        return (int)response.StatusCode == 202;
    });
    peaks.Add(("host accepting and processing", PeakRssKb(host.ProcessId)));
}

Console.WriteLine();
Console.WriteLine($"{"what",-44} {"ours",-44} {"raw baseline, same run",-44} {"ratio",6}  target");
foreach (var row in rows)
    Console.WriteLine($"{row.What,-44} {row.Ours,-44} {row.Raw,-44} {row.Ratio,6:F2}  {(row.Target == "-" ? "" : row.Target + (row.Met ? " (met)" : " (NOT met)"))}");
Console.WriteLine($"{"accept while the processor drains (info)",-44} {Describe(busy!),-44}");
foreach (var (name, peakKb) in peaks)
    Console.WriteLine($"{"peak RSS (VmHWM), " + name,-44} {peakKb / 1024.0,7:F0} MB {"",-33} {"",6}  under 250 MB {(peakKb < 250 * 1024 ? "(met)" : "(NOT met)")}");
return rows.All(r => r.Met) && peaks.All(p => p.PeakKb < 250 * 1024) ? 0 : 1;

async Task<LoadResult> AcceptAsync(params (string Key, string Value)[] settings)
{
    await using var azurite = await Azurite.StartAsync();
    await using var accept = await SelfHost.StartAsync(azurite.ConnectionString,
        Settings([("AzureWebJobs_ProcessComment_Disabled", "true"), .. settings]));
    var result = await Load.RunAsync("POST /api/comments", clients, duration, async i =>
    {
        using var response = await accept.Http.PostAsync("api/comments", Json(Form(i, "/bench/accept/")));
        return (int)response.StatusCode == 202;
    });
    peaks.Add(("accept host (processor off)", PeakRssKb(accept.ProcessId)));
    return result;
}

static void Progress(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}");

void Report(string what, LoadResult ours, LoadResult raw, string target, double minimum)
{
    if (ours.Failures > 0 || raw.Failures > 0)
        throw new InvalidOperationException($"{what}: {ours.Failures} failed requests, {raw.Failures} failed raw operations");
    var ratio = ours.PerSecond / raw.PerSecond;
    rows.Add((what, Describe(ours), Describe(raw), ratio, target, ratio >= minimum));
}

static string Describe(LoadResult r) => $"{r.PerSecond,7:F0} /s  p50 {r.P50Ms,6:F1} ms  p99 {r.P99Ms,6:F1} ms";

static CommentForm Form(int i, string thread, string? parentId = null) => new()
{
    Thread = thread,
    ParentId = parentId,
    Author = $"Reader {i}",
    Email = $"reader{i}@example.com",
    Website = "https://example.org/",
    Body = $"Comment {i}: « Merci pour cet article » — une réaction assez longue pour ressembler à un vrai commentaire. 😉",
};

static CommentSubmission Submission(int i, string thread)
{
    var now = DateTimeOffset.UtcNow;
    return CommentValidator.Validate(Form(i, thread), CommentId.New(now), now).Submission!;
}

static StringContent Json(CommentForm form) =>
    new(JsonSerializer.Serialize(form, CommentJson.Options), Encoding.UTF8, "application/json");

static long PeakRssKb(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

static Dictionary<string, string> Settings(params (string Key, string Value)[] settings) =>
    settings.ToDictionary(s => s.Key, s => s.Value);

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
}
