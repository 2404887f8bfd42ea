using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml;
using Azure.Data.Tables;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Import;
using ServerlessComments.Testing;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// Issue 13's benchmark: a generated WordPress export of N comments (default 10,000;
/// <c>--comments 100000</c> for the issue's size) imported by the self-host's <c>import</c> verb,
/// beside a raw batched insert of the same comment rows (the Azure SDK, 100-row transactions per
/// partition, 8 at once) into the same Azurite in the same run, with the verb's peak RSS.
/// </summary>
public static class ImportBench
{
    public static async Task<int> RunAsync(int comments, string? keep)
    {
        var file = keep ?? Path.Combine(Path.GetTempPath(), $"sc-bench-{comments}.xml");
        var clock = Stopwatch.StartNew();
        Generate(file, comments);
        Console.Error.WriteLine($"Generated {comments:N0} comments in {new FileInfo(file).Length / 1e6:F1} MB ({clock.Elapsed.TotalSeconds:F1} s): {file}");
        try
        {
            await using var azurite = await Azurite.StartAsync();

            // Raw: the same rows, mapped in this process beforehand, inserted and nothing else.
            var rows = new List<CommentEntity>(comments);
            await foreach (var source in WxrReader.ReadAsync(File.OpenRead(file), default))
                if (ImportMapping.Map(source, new ImportOptions()) is ({ } mapped, _))
                    rows.Add(CommentEntity.From(mapped.Comment));
            async Task<TimeSpan> InsertAsync(string name, IEnumerable<ITableEntity> entities)
            {
                var table = new TableClient(azurite.ConnectionString, name);
                await table.CreateIfNotExistsAsync();
                var clock = Stopwatch.StartNew();
                await Parallel.ForEachAsync(entities.GroupBy(r => r.PartitionKey).SelectMany(p => p.Chunk(100)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                    async (chunk, ct) => await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct));
                return clock.Elapsed;
            }
            // The comment rows alone; then every row the import stores: the comment, its id-index
            // row, its copy in the owner's list, and a row per known author.
            var raw = await InsertAsync("benchrawimport", rows);
            var rawRate = rows.Count / raw.TotalSeconds;
            var allRows = rows.Cast<ITableEntity>()
                .Concat(rows.Select(r => new TableEntity("~id", r.RowKey) { ["ThreadKey"] = r.PartitionKey }))
                .Concat(rows.Select(r => { var copy = CommentEntity.From(r.ToStored()); copy.PartitionKey = "~status-" + r.Status; return (ITableEntity)copy; }))
                .Concat(rows.Where(r => r.Status == "published").Select(r => CommentTable.EmailKey(r.Email)).Distinct().Select(k => new TableEntity("~author", k) { ["NameKey"] = k }))
                .ToList();
            var rawAll = await InsertAsync("benchrawimportall", allRows);
            var rawAllRate = rows.Count / rawAll.TotalSeconds;
            rows.Clear();

            // Ours: the verb, as an owner runs it, in its own process.
            var unique = Guid.NewGuid().ToString("N")[..12];
            var environment = new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage__CommentTable"] = "benchimport" + unique,
                ["Storage__ThreadContainer"] = "benchimport-" + unique,
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var (exit, output, seconds, peakKb) = await RunVerbAsync(environment, "import", "--format", "wxr", file);
            if (exit != 0)
            {
                Console.Error.WriteLine(output);
                return 1;
            }
            // The verb's own time (start-up of the process aside), as it prints it.
            var took = output.Split('\n').First(l => l.StartsWith("Took ", StringComparison.Ordinal));
            var importSeconds = double.Parse(took.Split(' ')[1], CultureInfo.InvariantCulture);
            var oursRate = comments / importSeconds;
            var ratio = oursRate / rawAllRate;
            Console.WriteLine(output.Split('\n').First(l => l.StartsWith("Read ", StringComparison.Ordinal)));
            Console.WriteLine(took);
            Console.WriteLine($"{"import verb (read, map, 3 rows a comment, known authors, views)",-64} {oursRate,8:F0} comments/s  ({importSeconds:F1} s; {seconds:F1} s with process start)");
            Console.WriteLine($"{"raw batched insert of the comment rows alone",-64} {rawRate,8:F0} comments/s  ({raw.TotalSeconds:F1} s)  ratio {oursRate / rawRate:F2} (info)");
            Console.WriteLine($"{$"raw batched insert of every row the import stores ({allRows.Count:N0})",-64} {rawAllRate,8:F0} comments/s  ({rawAll.TotalSeconds:F1} s)");
            Console.WriteLine($"{"ratio to the same rows (target >= 0.5)",-64} {ratio,8:F2}  {(ratio >= 0.5 ? "(met)" : "(NOT met)")}");
            Console.WriteLine($"{"peak RSS of the verb (VmHWM, target < 300 MB)",-64} {peakKb / 1024.0,8:F0} MB  {(peakKb < 300 * 1024 ? "(met)" : "(NOT met)")}");
            return ratio >= 0.5 && peakKb < 300 * 1024 ? 0 : 1;
        }
        finally
        {
            if (keep is null)
                File.Delete(file);
        }
    }

    /// <summary>The self-host's verb in its own process, its peak RSS read from /proc while it runs.</summary>
    internal static async Task<(int Exit, string Output, double Seconds, long PeakKb)> RunVerbAsync(Dictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(Repo.ProjectOutput("ServerlessComments.SelfHost"), "ServerlessComments.SelfHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && !e.Data.StartsWith('\r')) lock (output) output.AppendLine(e.Data.Split('\r')[^1]); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                    peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // It exited between the two calls.
            }
            await Task.Delay(50);
        }
        process.WaitForExit();
        return (process.ExitCode, output.ToString(), clock.Elapsed.TotalSeconds, peak);
    }

    /// <summary>A WordPress export as Tools → Export writes it: posts of 100 comments, a third
    /// of them replies, 2,000 authors, some HTML, a few held and spam. Written as a stream.</summary>
    public static void Generate(string path, int comments)
    {
        const string wp = "http://wordpress.org/export/1.2/";
        using var xml = XmlWriter.Create(path, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) });
        xml.WriteStartElement("rss");
        xml.WriteAttributeString("version", "2.0");
        xml.WriteAttributeString("xmlns", "wp", null, wp);
        xml.WriteAttributeString("xmlns", "content", null, "http://purl.org/rss/1.0/modules/content/");
        xml.WriteStartElement("channel");
        xml.WriteElementString("title", "Benchmark blog");
        xml.WriteElementString("wxr_version", wp, "1.2");
        var random = new Random(13);
        var t0 = new DateTime(2012, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var id = 1; id <= comments;)
        {
            var post = id / 100 + 1;
            xml.WriteStartElement("item");
            xml.WriteElementString("title", $"Post number {post}");
            xml.WriteElementString("link", $"https://old.example.com/{2012 + post / 400}/post-{post}/");
            xml.WriteElementString("post_id", wp, post.ToString(CultureInfo.InvariantCulture));
            xml.WriteStartElement("content", "encoded", "http://purl.org/rss/1.0/modules/content/");
            xml.WriteCData("<p>The post's own text, which the import skips.</p>");
            xml.WriteEndElement();
            var first = id;
            for (var n = 0; n < 100 && id <= comments; n++, id++)
            {
                var author = random.Next(2000);
                var at = t0.AddMinutes(id * 7);
                xml.WriteStartElement("comment", wp);
                xml.WriteElementString("comment_id", wp, id.ToString(CultureInfo.InvariantCulture));
                xml.WriteElementString("comment_author", wp, $"Reader {author}");
                xml.WriteElementString("comment_author_email", wp, $"reader{author}@example.com");
                xml.WriteElementString("comment_author_url", wp, author % 3 == 0 ? $"https://reader{author}.example.org/" : "");
                xml.WriteElementString("comment_author_IP", wp, $"203.0.113.{author % 250}");
                xml.WriteElementString("comment_date", wp, at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                xml.WriteElementString("comment_date_gmt", wp, at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                xml.WriteStartElement("comment_content", wp);
                xml.WriteCData($"Comment {id}: thanks for this post, it made me think.\nA second line with <em>emphasis</em> &amp; a <a href=\"https://example.org/{id}\">link</a>.");
                xml.WriteEndElement();
                xml.WriteElementString("comment_approved", wp, id % 50 == 0 ? "0" : id % 97 == 0 ? "spam" : "1");
                xml.WriteElementString("comment_type", wp, "comment");
                xml.WriteElementString("comment_parent", wp, n > 0 && random.Next(3) == 0 ? random.Next(first, id).ToString(CultureInfo.InvariantCulture) : "0");
                xml.WriteElementString("comment_user_id", wp, "0");
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}
