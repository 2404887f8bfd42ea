using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml;
using ServerlessComments.Testing;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// Issue 20's measure of a like: on a thread of N comments (default 10,000, imported by the
/// self-host's <c>import</c> verb, views built) and on a thread of one comment, the latency of
/// <c>POST /api/reactions</c> from a few clients, each like a new reader; beside, in the same run on
/// the same Azurite and host, a plain comment written to the big thread, timed from its <c>202</c>
/// until its first page shows it (the processor's patch of one chunk, the first pages and the state).
/// </summary>
public static class ReactionsBench
{
    public static async Task<int> RunAsync(int comments, int clients, int seconds)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sc-likes-{comments}.xml");
        Generate(file, comments);
        try
        {
            await using var azurite = await Azurite.StartAsync();
            var unique = Guid.NewGuid().ToString("N")[..12];
            var names = new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage__CommentTable"] = "benchlikes" + unique,
                ["Storage__ThreadContainer"] = "benchlikes-" + unique,
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var (exit, output, importSeconds, _) = await ImportBench.RunVerbAsync(names, "import", "--format", "wxr", file);
            if (exit != 0)
            {
                Console.Error.WriteLine(output);
                return 1;
            }
            Console.Error.WriteLine($"Imported a thread of {comments:N0} comments in {importSeconds:F0} s");

            var settings = new Dictionary<string, string>(names.Where(n => n.Key.StartsWith("Storage__", StringComparison.Ordinal)))
            {
                ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.100",
                ["Reactions__FloodMilliseconds"] = "0", // every like here comes from one IP
                ["Spam__FloodSeconds"] = "0",
                ["Moderation__Mode"] = "none",
            };
            await using var host = await SelfHost.StartAsync(azurite.ConnectionString, settings);
            const string big = "/likes/big/", small = "/likes/small/";
            var bigCount = (await host.GetThreadAsync(big)).GetProperty("count").GetInt32();
            var target = (await host.GetThreadAsync(big)).GetProperty("comments")[0].GetProperty("id").GetString()!;
            var smallId = await PostAsync(host, small, 1);
            await VisibleAsync(host, small, smallId);

            LoadResult Likes(string name, string thread, string id) => Load.RunAsync(name, clients, TimeSpan.FromSeconds(seconds), async i =>
            {
                using var response = await host.Http.PostAsJsonAsync("api/reactions", new { thread, comment = id, reader = "bench-reader-" + i.ToString("d12", CultureInfo.InvariantCulture) });
                return response.IsSuccessStatusCode;
            }).GetAwaiter().GetResult();
            var onBig = Likes($"like, thread of {bigCount:N0}", big, target);
            var onSmall = Likes("like, thread of 1", small, smallId);

            // A plain comment on the big thread, one at a time: 202, then visible on its first page.
            var posted = new List<double>();
            var visible = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var clock = Stopwatch.StartNew();
                var id = await PostAsync(host, big, 100 + i);
                posted.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                await VisibleAsync(host, big, id);
                visible.Add(clock.Elapsed.TotalMilliseconds);
                await Task.Delay(300);
            }
            var likes = (await host.Http.GetFromJsonAsync<JsonElement>("api/reactions?thread=" + Uri.EscapeDataString(big))).GetProperty("likes").GetProperty(target).GetInt32();

            static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
            Console.WriteLine($"{clients} clients, {seconds} s per like phase; each like a new reader; flood guard off");
            Console.WriteLine($"{onBig.Name,-44} {onBig.PerSecond,7:F0} likes/s  p50 {onBig.P50Ms,6:F1} ms  p99 {onBig.P99Ms,6:F1} ms  ({onBig.Operations} likes, {onBig.Failures} failed; count now {likes})");
            Console.WriteLine($"{onSmall.Name,-44} {onSmall.PerSecond,7:F0} likes/s  p50 {onSmall.P50Ms,6:F1} ms  p99 {onSmall.P99Ms,6:F1} ms  ({onSmall.Operations} likes, {onSmall.Failures} failed)");
            Console.WriteLine($"{$"comment on the thread of {bigCount:N0}: POST to 202",-44} median {Median(posted),6:F1} ms");
            Console.WriteLine($"{"  then 202 to visible on its first page",-44} median {Median(visible),6:F1} ms  (max {visible.Max():F0})");
            Console.WriteLine($"{"like p50 / comment 202-to-visible",-44} {onBig.P50Ms / Median(visible),7:F2}");
            Console.WriteLine($"{"like p50, big thread / small thread",-44} {onBig.P50Ms / onSmall.P50Ms,7:F2}  (1 = the thread's size costs a like nothing)");
            return onBig.Failures == 0 && onSmall.Failures == 0 ? 0 : 1;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> PostAsync(SelfHost host, string thread, int n)
    {
        using var response = await host.Http.PostAsJsonAsync("api/comments", new
        {
            thread, author = "Bench " + n, email = $"bench{n}@example.com", body = $"Comment {n} written while readers like another one.",
        });
        if ((int)response.StatusCode != 202)
            throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task VisibleAsync(SelfHost host, string thread, string id)
    {
        var clock = Stopwatch.StartNew();
        while (!(await host.Http.GetStringAsync("api/comments?order=newest&thread=" + Uri.EscapeDataString(thread))).Contains(id, StringComparison.Ordinal))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"comment {id} did not show within 60 s");
            await Task.Delay(10);
        }
    }

    /// <summary>One WordPress post (<c>/likes/big/</c>) with N published top-level comments.</summary>
    private static void Generate(string path, int comments)
    {
        const string wp = "http://wordpress.org/export/1.2/";
        using var xml = XmlWriter.Create(path, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartElement("rss");
        xml.WriteAttributeString("version", "2.0");
        xml.WriteAttributeString("xmlns", "wp", null, wp);
        xml.WriteStartElement("channel");
        xml.WriteElementString("wxr_version", wp, "1.2");
        xml.WriteStartElement("item");
        xml.WriteElementString("title", "A popular post");
        xml.WriteElementString("link", "https://blog.example.com/likes/big/");
        xml.WriteElementString("post_id", wp, "1");
        var t0 = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var id = 1; id <= comments; id++)
        {
            var at = t0.AddMinutes(id);
            xml.WriteStartElement("comment", wp);
            xml.WriteElementString("comment_id", wp, id.ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("comment_author", wp, $"Reader {id % 2000}");
            xml.WriteElementString("comment_author_email", wp, $"reader{id % 2000}@example.com");
            xml.WriteElementString("comment_date", wp, at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteElementString("comment_date_gmt", wp, at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteElementString("comment_content", wp, $"Comment {id}: a thought about this post, with a second sentence to give it a usual length.");
            xml.WriteElementString("comment_approved", wp, "1");
            xml.WriteElementString("comment_parent", wp, "0");
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}
