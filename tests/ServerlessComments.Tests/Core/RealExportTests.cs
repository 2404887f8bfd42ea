using System.Text.Json;
using ServerlessComments.Import;

namespace ServerlessComments.Tests.Core;

/// <summary>Exports nobody here wrote (Data/real-exports/SOURCES.md): the WordPress importer's own
/// test data and the Disqus files of other comment systems' tests. Every one that holds comments
/// is imported; the expected counts were read from the files themselves (their
/// <c>&lt;wp:comment&gt;</c> and <c>&lt;post&gt;</c> elements, types, statuses and dates).</summary>
public class RealExportTests
{
    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "real-exports", name);

    public static TheoryData<string, string, int, int, string> Files => new()
    {
        // file, format, read, imported, skipped (reason: count, …)
        // 33 comments, xmlns:wp in https (WordPress.com's form): 2 trackbacks, 2 pingbacks; 3 held.
        { "wordpress-importer/theme-unit-test-data.xml", ImportFormat.Wxr, 33, 29, "pingback: 2, trackback: 2" },
        // 29: 4 pingbacks, and comment 167 has no date at all.
        { "wordpress-importer/a11y-unit-test-data.xml", ImportFormat.Wxr, 29, 24, "no date: 1, pingback: 4" },
        // WordPress 6.9: two editorial notes (held, private) and one comment.
        { "wordpress-importer/wxr-with-note-comments.xml", ImportFormat.Wxr, 3, 1, "type note: 2" },
        { "wordpress-importer/slashes.xml", ImportFormat.Wxr, 1, 1, "" },
        { "wordpress-importer/small-export.xml", ImportFormat.Wxr, 1, 1, "" },
        { "wordpress-importer/test-serialized-comment-meta.xml", ImportFormat.Wxr, 1, 1, "" },
        { "wordpress-importer/valid-wxr-1.0.xml", ImportFormat.Wxr, 1, 1, "" },
        { "wordpress-importer/valid-wxr-1.1.xml", ImportFormat.Wxr, 1, 1, "" },
        { "wordpress-importer/wxr-comprehensive.xml", ImportFormat.Wxr, 1, 1, "" },
        // Isso's WordPress file: WXR 1.0, 8 comments, one with no comment_type at all; comment id 11
        // is in two items (WordPress's ids are the site's: the second is the same comment).
        { "isso/wordpress.xml", ImportFormat.Wxr, 8, 7, "duplicate in file: 1" },
        // Disqus: Isso's has one deleted post (whose reply is kept, top-level) and one whose thread
        // (1337) the file does not hold; Remark42's a spam one (kept, as spam) and a deleted one.
        // Remark42's files start with a stray backquote before <?xml: it is dropped.
        { "isso/disqus.xml", ImportFormat.Disqus, 6, 4, "deleted: 1, no page: 1" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_real_export_with_comments_imports_with_the_counts_the_file_holds(string file, string format, int read, int imported, string skipped)
    {
        var world = new CoreWorld();
        await using var stream = System.IO.File.OpenRead(PathOf(file));
        var summary = await world.Importing.ImportAsync(stream, new ImportOptions { Format = format }, default);
        Assert.Equal(read, summary.Read);
        Assert.Equal(imported, summary.Imported);
        Assert.Equal(skipped, string.Join(", ", summary.Skipped.Select(s => $"{s.Key}: {s.Value}")));
        Assert.Equal(imported, world.Store.All.Count);
        // Every thread's public view is built, and counts what is published in it.
        foreach (var thread in world.Store.All.Select(c => c.Thread).Distinct())
        {
            var page = JsonDocument.Parse((await world.Reading.ReadAsync(thread, "oldest", null, null, default)).Json).RootElement;
            Assert.Equal(world.Store.All.Count(c => c.Thread == thread && c.IsPublished), page.GetProperty("count").GetInt32());
        }
        // A second run changes nothing.
        await using var again = System.IO.File.OpenRead(PathOf(file));
        var second = await world.Importing.ImportAsync(again, new ImportOptions { Format = format }, default);
        Assert.Equal(0, second.Imported);
        Assert.Equal(imported, second.AlreadyThere);
    }

    /// <summary>Remark42's Disqus files start with a stray backquote (dropped), hold a post without
    /// a dsq:id ("This comment had no ID": skipped, counted), and end with a post whose
    /// <c>&lt;thread dsq:id=247937687/&gt;</c> is unquoted, at line 147: not XML. The import stops there,
    /// naming the line, with the five posts before it stored and said so.</summary>
    [Theory]
    [InlineData("remark42/disqus.xml", 4, "no id: 1")]
    [InlineData("remark42/disqus-deleted-post.xml", 3, "deleted: 1, no id: 1")]
    [InlineData("remark42/disqus-deleted-thread.xml", 4, "no id: 1")]
    public async Task A_real_file_broken_at_its_end_stores_what_came_before_and_names_the_line(string file, int imported, string skipped)
    {
        var world = new CoreWorld();
        await using var stream = System.IO.File.OpenRead(PathOf(file));
        var e = await Assert.ThrowsAsync<ImportFileException>(() => world.Importing.ImportAsync(stream, new ImportOptions { Format = ImportFormat.Disqus }, default));
        Assert.Equal(147, e.Line);
        Assert.Contains("not well-formed", e.Message);
        Assert.Equal(5, e.Summary!.Read);
        Assert.Equal(imported, e.Summary.Imported);
        Assert.Equal(skipped, string.Join(", ", e.Summary.Skipped.Select(s => $"{s.Key}: {s.Value}")));
        Assert.Equal(imported, world.Store.All.Count);
        foreach (var thread in world.Store.All.Select(c => c.Thread).Distinct())
        {
            var page = JsonDocument.Parse((await world.Reading.ReadAsync(thread, "oldest", null, null, default)).Json).RootElement;
            Assert.Equal(world.Store.All.Count(c => c.Thread == thread && c.IsPublished), page.GetProperty("count").GetInt32());
        }
    }

    [Fact]
    public async Task A_file_whose_only_comment_has_no_date_and_no_page_says_so()
    {
        // The WordPress importer's wxr-with-sub-data.xml: an item without a link, a comment without a date.
        await using var stream = System.IO.File.OpenRead(PathOf("wordpress-importer/wxr-with-sub-data.xml"));
        var summary = await new CoreWorld().Importing.ImportAsync(stream, new ImportOptions(), default);
        Assert.True(summary.NothingFound);
        Assert.Contains("no date: 1", summary.Why());
    }
}
