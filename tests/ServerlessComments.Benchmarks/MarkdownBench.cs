using System.Diagnostics;
using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Formatting;
using ServerlessComments.Threads;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// <c>markdown [--comments N]</c>: what formatting costs. N comments (every other one with
/// Markdown, about 300 characters each) rendered one by one, then as one thread's full view
/// build with Markdown on and off, and the view's size both ways. No storage: CPU only.
/// </summary>
public static class MarkdownBench
{
    private static readonly string[] Texts =
    [
        "Merci pour cet article, je me suis reconnue dans beaucoup de choses.\nJ’ai quitté les réseaux il y a deux ans et je ne regrette rien. Bonne continuation !",
        "Je ne suis **pas tout à fait** d’accord : les réseaux ont aussi du *bon*.\n\n> On n’y est pas obligé de tout montrer.\n\nVoir https://example.com/article et `#hashtag`.",
        "Trois raisons :\n\n1. le temps perdu\n2. la comparaison\n3. les *algorithmes*\n\nEt toi, tu y reviendrais ? [mon billet](https://blog.example.org/reseaux/)",
        "Un exemple :\n\n```\nwhile (true) scroll();\n```\n\nC’est exactement ça. **Bravo** pour ton témoignage, vraiment.",
    ];

    public static int Run(int count)
    {
        var comments = Enumerable.Range(0, count).Select(i => new StoredComment
        {
            Id = $"c{i:D6}", Thread = "/bench/", Author = "Lecteur " + i, Email = $"r{i}@example.com",
            Body = Texts[i % Texts.Length] + " #" + i, CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(i), Status = CommentStatus.Published,
            ParentId = i % 3 == 2 ? $"c{i - 1:D6}" : null,
        }).ToList();
        foreach (var c in comments.Take(200))
            CommentMarkdown.Render(c.Body); // warm-up

        var watch = Stopwatch.StartNew();
        var formatted = comments.Count(c => CommentMarkdown.Render(c.Body) is not null);
        var perComment = watch.Elapsed.TotalMicroseconds / count;
        Console.WriteLine($"render: {count} comments, {formatted} with Markdown, {perComment:F0} µs per comment ({watch.ElapsedMilliseconds} ms in all)");

        foreach (var markdown in new[] { false, true })
        {
            var options = new ThreadOptions { Markdown = markdown, PageSize = 50 };
            watch.Restart();
            var view = ThreadViewBuilder.Build("/bench/", comments, options);
            var ms = watch.ElapsedMilliseconds;
            var bytes = view.Chunks.Sum(c => c.Json!.Length);
            var page = view.FirstPages[ThreadOrder.Oldest].Json;
            using var gzipped = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(page);
            Console.WriteLine($"full view build, Markdown {(markdown ? "on " : "off")}: {ms} ms; chunks {bytes / 1024} KiB, first page {page.Length / 1024} KiB ({gzipped.Length / 1024} KiB gzipped)");
        }
        return 0;
    }
}
