using System.Globalization;
using CsvHelper;
using Microsoft.Extensions.Configuration;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// <c>spam-baseline &lt;folder of labelled CSV files&gt;</c>: precision and recall of the built-in
/// defences alone (no Akismet, no moderation mode) on labelled real comments, with the false
/// positives listed. The settings are the product's (<c>Spam__MaxLinks</c>, <c>Spam__HoldWords</c>,
/// <c>Spam__BlockWords</c> from the environment), defaults when unset, so the figures are those of a
/// fresh install. A comment counts as caught when it is held or marked spam: either way readers
/// never see it.
/// </summary>
public static class SpamBaseline
{
    private sealed record Row(string COMMENT_ID, string AUTHOR, string DATE, string CONTENT, int CLASS);

    public static int Run(string[] args)
    {
        if (args.Length != 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: spam-baseline <folder of CSV files with COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS (1 = spam)>");
            return 2;
        }
        var options = new SpamOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(SpamOptions.Section).Bind(options);

        int truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0;
        var wronglyCaught = new List<(string File, Row Row, Verdict Verdict)>();
        foreach (var file in Directory.GetFiles(args[0], "*.csv").Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(file);
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            foreach (var row in csv.GetRecords<Row>())
            {
                var comment = new CommentSubmission
                {
                    Id = CommentId.New(DateTimeOffset.UtcNow), Thread = "/" + Path.GetFileNameWithoutExtension(file) + "/",
                    Author = row.AUTHOR, Email = "", Body = row.CONTENT, CreatedAt = DateTimeOffset.UtcNow,
                };
                var verdict = BuiltInDefences.Judge(comment, options);
                var caught = verdict.Decision != Decision.Publish;
                var spam = row.CLASS == 1;
                if (caught && spam) truePositives++;
                else if (caught) { falsePositives++; wronglyCaught.Add((Path.GetFileName(file), row, verdict)); }
                else if (spam) falseNegatives++;
                else trueNegatives++;
            }
        }

        var total = truePositives + falsePositives + trueNegatives + falseNegatives;
        double precision = truePositives + falsePositives == 0 ? double.NaN : (double)truePositives / (truePositives + falsePositives);
        double recall = truePositives + falseNegatives == 0 ? double.NaN : (double)truePositives / (truePositives + falseNegatives);
        Console.WriteLine($"Built-in defences on {total} labelled comments ({truePositives + falseNegatives} spam, {trueNegatives + falsePositives} ham)");
        Console.WriteLine($"settings: MaxLinks={options.MaxLinks}, HoldWords={Count(options.HoldWords)} word(s), BlockWords={Count(options.BlockWords)} word(s)");
        Console.WriteLine($"caught spam (true positives)   {truePositives,5}");
        Console.WriteLine($"missed spam (false negatives)  {falseNegatives,5}");
        Console.WriteLine($"caught ham (false positives)   {falsePositives,5}");
        Console.WriteLine($"passed ham (true negatives)    {trueNegatives,5}");
        Console.WriteLine($"precision {precision:P1}   recall {recall:P1}");
        Console.WriteLine();
        Console.WriteLine("False positives (ham that would be held or marked spam):");
        foreach (var (file, row, verdict) in wronglyCaught)
            Console.WriteLine($"- {file} {row.COMMENT_ID} [{string.Join("; ", verdict.Reasons)}] {Shorten(row.CONTENT)}");
        return 0;
    }

    private static int Count(string words) => SpamOptions.Words(words).Count;

    private static string Shorten(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 160 ? oneLine : oneLine[..160] + "…";
    }
}
