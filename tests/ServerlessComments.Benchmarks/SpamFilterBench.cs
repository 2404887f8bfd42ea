using System.Globalization;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Moderation.Filter;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// <c>spam-filter</c>: the learning filter measured on the corpora the product ships
/// (functions/ServerlessComments.Core/Moderation/Corpus): leave-one-video-out and 10-fold
/// cross-validation on the YouTube Spam Collection, the held-out English and French blog sets,
/// learning from the owner (replay), the spam chain before and after, cold start, per-comment
/// cost and model size. Settings as installed (<c>Spam__Filter*</c> from the environment).
/// "Caught" is held or marked spam (readers never see it); "spam" is marked spam (no owner email).
/// </summary>
public static class SpamFilterBench
{
    /// <summary>The replays retrain after this many decisions, as the timer would after a few minutes of moderation.</summary>
    private const int RetrainEvery = 10;

    /// <summary>Orders the owner's replay is averaged over, so that one lucky order does not make the curve.</summary>
    private const int Shuffles = 20;

    public static int Run()
    {
        var clock = Stopwatch.StartNew();
        var corpus = StartingCorpus.Load();
        var shipped = StartingCorpus.Train(corpus);
        var first = SpamClassifier.Score(shipped, "Ann", null, "Merci pour cet article !");
        var cold = clock.Elapsed.TotalMilliseconds;
        var options = new SpamFilterOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(SpamFilterOptions.Section).Bind(options);
        Console.WriteLine($"Spam filter: logistic regression over {shipped.Features:N0} features, learnt from {corpus.Count(c => !c.HeldOut):N0} comments");
        Console.WriteLine($"settings: FilterSpamAbove={options.FilterSpamAbove}, FilterHoldAbove={options.FilterHoldAbove}, FilterOwnerWeight={options.FilterOwnerWeight}");
        Console.WriteLine($"cold start (load corpora, train, first score, in this process): {cold:F0} ms  (first score {first.Probability:F2})");
        var bytes = shipped.Serialize();
        Console.WriteLine($"model size: {bytes.Length / 1024.0:F0} KiB as JSON; corpora {corpus.Sum(c => c.Body.Length + c.Author.Length) / 1024.0:F0} KiB of text");

        var youtube = corpus.Where(c => c.Source.StartsWith("Youtube", StringComparison.Ordinal)).ToList();
        clock.Restart();
        const int Rounds = 3;
        for (var r = 0; r < Rounds; r++)
            foreach (var c in youtube)
                SpamClassifier.Score(shipped, c.Author, c.Website, c.Body);
        Console.WriteLine($"per comment: {clock.Elapsed.TotalMilliseconds / (Rounds * youtube.Count):F3} ms (features and score, {youtube.Count * Rounds} comments)");
        Console.WriteLine();

        Console.WriteLine("Leave-one-video-out (train on four videos, test on the fifth; YouTube only)");
        var total = new Tally();
        var totalSpam = new Tally();
        var sweep = new List<(LabelledComment, double)>();
        foreach (var video in youtube.Select(c => c.Source).Distinct().Order(StringComparer.Ordinal))
        {
            var model = StartingCorpus.Train(youtube.Where(c => c.Source != video));
            var (caught, spam) = (new Tally(), new Tally());
            foreach (var c in youtube.Where(c => c.Source == video))
            {
                var p = SpamClassifier.Score(model, c.Author, c.Website, c.Body).Probability;
                sweep.Add((c, p));
                caught.Add(p >= options.FilterHoldAbove, c.IsSpam);
                spam.Add(p >= options.FilterSpamAbove, c.IsSpam);
            }
            Console.WriteLine($"  {video,-24} caught {caught}   spam {spam}");
            total.Plus(caught);
            totalSpam.Plus(spam);
        }
        Console.WriteLine($"  {"overall",-24} caught {total}   spam {totalSpam}");
        Console.WriteLine("  threshold sweep (overall):");
        foreach (var t in new[] { 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98 })
        {
            var tally = new Tally();
            foreach (var (c, p) in sweep)
                tally.Add(p >= t, c.IsSpam);
            Console.WriteLine($"    >= {t:F2}: {tally}");
        }
        Console.WriteLine();

        Console.WriteLine("10-fold cross-validation (YouTube, shuffled with seed 1)");
        var shuffled = youtube.OrderBy(_ => 0).ToList();
        new Random(1).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
        var cv = new Tally();
        for (var fold = 0; fold < 10; fold++)
        {
            var model = StartingCorpus.Train(shuffled.Where((_, i) => i % 10 != fold));
            foreach (var c in shuffled.Where((_, i) => i % 10 == fold))
                cv.Add(SpamClassifier.Score(model, c.Author, c.Website, c.Body).Probability >= options.FilterHoldAbove, c.IsSpam);
        }
        Console.WriteLine($"  caught {cv}");
        Console.WriteLine();

        Console.WriteLine("Blog sets, held out of the shipped model (every fifth line)");
        foreach (var set in corpus.Where(c => c.HeldOut).GroupBy(c => c.Source))
        {
            var (caught, spam) = (new Tally(), new Tally());
            var wrong = new List<string>();
            foreach (var c in set)
            {
                var score = SpamClassifier.Score(shipped, c.Author, c.Website, c.Body);
                caught.Add(score.Probability >= options.FilterHoldAbove, c.IsSpam);
                spam.Add(score.Probability >= options.FilterSpamAbove, c.IsSpam);
                if (score.Probability >= options.FilterHoldAbove != c.IsSpam)
                    wrong.Add($"    {(c.IsSpam ? "missed" : "caught ham")} [{score.Reason}] {Shorten(c.Body)}");
            }
            Console.WriteLine($"  {set.Key,-10} caught {caught}   spam {spam}");
            wrong.ForEach(Console.WriteLine);
        }
        Console.WriteLine();

        Judge("Honest comments with one link (written for this benchmark, in no corpus), by the shipped model", HonestLinks, shipped, options);
        Judge("Honest short praise, by people with and without a website (written for this benchmark, in no corpus): the text praise-only spam copies",
            HonestPraise, shipped, options);

        Console.WriteLine("A real thread, from nobody here: the demo thread's 8 comments (a French blog, texts as published), by the shipped model");
        {
            using var demo = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "functions/ServerlessComments.SelfHost/Demo/seed-thread.json")));
            foreach (var c in demo.RootElement.GetProperty("comments").EnumerateArray())
            {
                var (author, website, body) = (c.GetProperty("author").GetString()!, c.GetProperty("website").GetString(), c.GetProperty("body").GetString()!);
                var score = SpamClassifier.Score(shipped, author, website, body);
                Console.WriteLine($"  {options.Decide(score.Probability),-7} [{score.Reason}] {author}: {Shorten(body)}");
            }
        }
        Console.WriteLine();

        Console.WriteLine("Learning from the owner: a model shipped without Youtube05-Shakira, then 350 of its 370 comments, each judged,");
        Console.WriteLine($"then decided by the owner (learnt with the owner's weight, retrained every {RetrainEvery} decisions);");
        Console.WriteLine($"errors per 50 decisions, the mean of {Shuffles} orders (shuffled with seeds 1 to {Shuffles}):");
        {
            var shakira = youtube.Where(c => c.Source == "Youtube05-Shakira").ToList();
            var baseLessons = StartingCorpus.Lessons(corpus.Where(c => c.Source != "Youtube05-Shakira"));
            var learning = new double[350 / 50];
            var still = new double[learning.Length];
            for (var seed = 1; seed <= Shuffles; seed++)
            {
                var replayed = shakira.ToList();
                new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(replayed));
                replayed = replayed.Take(350).ToList();
                var withLearning = Replay([.. baseLessons], replayed, options, learn: true);
                var without = Replay([.. baseLessons], replayed, options, learn: false);
                for (var i = 0; i < learning.Length; i++)
                {
                    learning[i] += withLearning[i] / (double)Shuffles;
                    still[i] += without[i] / (double)Shuffles;
                }
            }
            Console.WriteLine("  learning:         " + string.Join("  ", learning.Select(e => e.ToString("0.0", CultureInfo.InvariantCulture))));
            Console.WriteLine("  without learning: " + string.Join("  ", still.Select(e => e.ToString("0.0", CultureInfo.InvariantCulture))));
        }
        Console.WriteLine("The same from a model of the blog sets alone (a blog whose spam is unlike the corpora), replaying");
        Console.WriteLine("600 YouTube comments (shuffled, seed 2); errors per 50 decisions:");
        {
            var replayed = youtube.ToList();
            new Random(2).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(replayed));
            var errors = Replay(StartingCorpus.Lessons(corpus.Where(c => c.Source.StartsWith("blog", StringComparison.Ordinal))), replayed.Take(600).ToList(), options, learn: true);
            Console.WriteLine("  " + string.Join("  ", errors));
        }
        Console.WriteLine();

        Console.WriteLine("The spam chain with no key, mode none, each video judged by a model without it (before: built-in defences only)");
        {
            var spamOptions = new SpamOptions();
            var (before, after, marked) = (new Tally(), new Tally(), new Tally());
            foreach (var video in youtube.Select(c => c.Source).Distinct())
            {
                var model = StartingCorpus.Train(corpus.Where(c => c.Source != video));
                foreach (var c in youtube.Where(c => c.Source == video))
                {
                    var submission = new CommentSubmission
                    {
                        Id = CommentId.New(DateTimeOffset.UtcNow), Thread = "/t/", Author = c.Author, Email = "", Body = c.Body, CreatedAt = DateTimeOffset.UtcNow,
                    };
                    var builtIn = BuiltInDefences.Judge(submission, spamOptions).Decision;
                    before.Add(builtIn != Decision.Publish, c.IsSpam);
                    var filtered = options.Decide(SpamClassifier.Score(model, c.Author, c.Website, c.Body).Probability);
                    var decision = (Decision)Math.Max((int)builtIn, (int)filtered);
                    after.Add(decision != Decision.Publish, c.IsSpam);
                    marked.Add(decision >= Decision.Spam, c.IsSpam);
                }
            }
            Console.WriteLine($"  before: caught {before}");
            Console.WriteLine($"  after:  caught {after}");
            Console.WriteLine($"  after:  marked spam (no owner email) {marked}");
        }
        return 0;
    }

    /// <summary>Judges each comment with the current model, then (when <paramref name="learn"/>) learns it as an
    /// owner decision, retraining every <see cref="RetrainEvery"/> decisions as the timer would: errors per 50.</summary>
    private static int[] Replay(List<SpamLesson> lessons, IReadOnlyList<LabelledComment> replayed, SpamFilterOptions options, bool learn)
    {
        var current = SpamModel.Train(lessons);
        var errors = new int[(replayed.Count + 49) / 50];
        for (var i = 0; i < replayed.Count; i++)
        {
            var c = replayed[i];
            if (SpamClassifier.Score(current, c.Author, c.Website, c.Body).Probability >= options.FilterHoldAbove != c.IsSpam)
                errors[i / 50]++;
            if (!learn)
                continue;
            lessons.Add(new SpamLesson(SpamFeatures.Of(c.Author, c.Website, c.Body), c.IsSpam, options.FilterOwnerWeight));
            if (i % RetrainEvery == RetrainEvery - 1)
                current = SpamModel.Train(lessons);
        }
        return errors;
    }

    /// <summary>Each probe's decision by the model, with its reason.</summary>
    private static void Judge(string heading, IEnumerable<(string Author, string? Website, string Body)> probes, SpamModel model, SpamFilterOptions options)
    {
        Console.WriteLine(heading);
        foreach (var (author, website, body) in probes)
        {
            var score = SpamClassifier.Score(model, author, website, body);
            Console.WriteLine($"  {options.Decide(score.Probability),-7} [{score.Reason}] {author}{(website is null ? "" : " (" + website + ")")}: {Shorten(body)}");
        }
        Console.WriteLine();
    }

    private static readonly (string Author, string? Website, string Body)[] HonestLinks =
    [
        ("Dan", null, "Great write-up. The official docs explain the retry policy in more detail: https://learn.microsoft.com/en-us/azure/azure-functions/functions-bindings-error-pages"),
        ("Priya", null, "Thanks! For anyone curious about the history, Wikipedia has a good summary: https://en.wikipedia.org/wiki/Sourdough"),
        ("Mark T.", null, "I wrote a follow-up with my own numbers from a small VPS, if that helps anyone: https://marks-notes.net/2026/11/cache-numbers"),
        ("Camille", null, "J'ai écrit la suite de mon côté, avec les chiffres de mon serveur : https://blog-de-camille.fr/2026/cache-redis"),
        ("Julien", null, "Ce bug est connu, il y a un ticket ouvert ici : https://github.com/dotnet/runtime/issues/12345"),
        ("Léa", null, "La recette d'origine est sur le site de ma grand-mère, avec les photos : http://www.cuisine-de-mamie.fr/tarte-tatin"),
    ];

    private static readonly (string Author, string? Website, string Body)[] HonestPraise =
    [
        ("Josiane", null, "Très bon article, merci !"),
        ("Paul", null, "Merci pour cet article, très bien expliqué."),
        ("Nina", null, "Super article, merci pour le partage !"),
        ("Tom", null, "Great post, thanks!"),
        ("Helen", null, "Really enjoyed this one, thank you for writing it."),
        ("Anne-Sophie", "https://annesophie-tricote.fr", "Merci pour ce bel article, très agréable à lire."),
        ("Greg", "https://gregs-notes.dev", "Great write-up, thanks for sharing."),
        ("Malika", "https://www.facebook.com/malika.b", "Bravo pour ce blog, je partage avec mes amies."),
    ];

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ServerlessComments.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
    }

    private static string Shorten(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 110 ? oneLine : oneLine[..110] + "…";
    }

    private sealed class Tally
    {
        private int _tp, _fp, _tn, _fn;

        public void Add(bool caught, bool spam)
        {
            if (caught && spam) _tp++;
            else if (caught) _fp++;
            else if (spam) _fn++;
            else _tn++;
        }

        public void Plus(Tally o) { _tp += o._tp; _fp += o._fp; _tn += o._tn; _fn += o._fn; }

        public override string ToString()
        {
            double p = _tp + _fp == 0 ? double.NaN : (double)_tp / (_tp + _fp), r = _tp + _fn == 0 ? double.NaN : (double)_tp / (_tp + _fn);
            return $"P {p:F3} R {r:F3} F1 {2 * p * r / (p + r):F3} (tp {_tp}, fp {_fp}, fn {_fn}, tn {_tn})";
        }
    }
}
