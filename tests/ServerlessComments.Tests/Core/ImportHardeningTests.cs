using System.Text;
using System.Text.Json;
using System.Xml;
using ServerlessComments.Comments;
using ServerlessComments.Export;
using ServerlessComments.Import;
using static ServerlessComments.Tests.Core.ImportTests;

namespace ServerlessComments.Tests.Core;

/// <summary>Issue 17, items 1–7: what real blogs' files, broken files, hostile files and hostile
/// text do to an import and to the exports.</summary>
public class ImportHardeningTests
{
    private static MemoryStream File(string text) => new(Encoding.UTF8.GetBytes(text));

    private static Task<ImportSummary> Import(CoreWorld world, string text, ImportOptions? options = null) =>
        world.Importing.ImportAsync(File(text), options ?? new ImportOptions(), default);

    private static async Task<int> PublicCount(CoreWorld world, string thread) =>
        JsonDocument.Parse((await world.Reading.ReadAsync(thread, "oldest", null, null, default)).Json).RootElement.GetProperty("count").GetInt32();

    // 1. The namespace by what it is.

    [Theory]
    [InlineData("http", "1.0")]
    [InlineData("http", "1.1")]
    [InlineData("http", "1.2")]
    [InlineData("https", "1.0")]
    [InlineData("https", "1.2")]
    public async Task Every_wxr_namespace_http_or_https_1_0_to_1_2_is_read(string scheme, string version)
    {
        var text = Wxr(Comment(1) + Comment(2, parent: 1), version).Replace("http://wordpress.org/export/", scheme + "://wordpress.org/export/");
        var world = new CoreWorld();
        var summary = await Import(world, text);
        Assert.Equal(2, summary.Read);
        Assert.Equal(2, summary.Imported);
        Assert.Equal(2, await PublicCount(world, "/2024/03/post/"));
    }

    [Fact]
    public async Task A_file_that_yields_no_comment_says_its_root_and_namespace()
    {
        var text = Wxr(Comment(1)).Replace("http://wordpress.org/export/1.2/", "http://example.org/not-wordpress/");
        var summary = await Import(new CoreWorld(), text);
        Assert.True(summary.NothingFound);
        Assert.Equal(0, summary.Read);
        var why = summary.Why();
        Assert.Contains("<rss>", why);
        Assert.Contains("http://example.org/not-wordpress/", why);
        Assert.Contains("xmlns:wp", why);
    }

    [Fact]
    public async Task A_file_whose_every_comment_is_skipped_says_why_counted()
    {
        var summary = await Import(new CoreWorld(), Wxr(Comment(1, type: "note", approved: "0") + Comment(2, type: "note") + Comment(3, approved: "trash")));
        Assert.True(summary.NothingFound);
        Assert.Equal("Nothing to import: all 3 comment(s) read were skipped (trash: 1, type note: 2); the root element is <rss>, the namespace 'http://wordpress.org/export/1.2/'.",
            summary.Why());
        // A re-import of what is there is not "nothing".
        var world = new CoreWorld();
        await Import(world, Wxr(Comment(1)));
        Assert.False((await Import(world, Wxr(Comment(1)))).NothingFound);
    }

    // 2. Comments that are not comments.

    [Fact]
    public async Task Only_public_comment_types_are_imported_the_others_are_counted_by_type()
    {
        var world = new CoreWorld();
        var summary = await Import(world, Wxr(
            Comment(1) + Comment(2, type: "comment") + Comment(3, type: "review") + Comment(4, type: "note", approved: "0") +
            Comment(5, type: "order_note") + Comment(6, type: "action_log") + Comment(7, type: "pingback") + Comment(8, type: "<b>odd</b> type")));
        Assert.Equal(8, summary.Read);
        Assert.Equal(3, summary.Imported);
        Assert.Equal(new Dictionary<string, int>
        {
            ["pingback"] = 1, ["type action_log"] = 1, ["type boddbtype"] = 1, ["type note"] = 1, ["type order_note"] = 1,
        }, summary.Skipped);
        Assert.Equal(["imported from wxr #1", "imported from wxr #2", "imported from wxr #3"], world.Store.All.Select(c => c.Reasons[0]).Order());
        Assert.DoesNotContain(world.Store.All, c => c.Status == CommentStatus.Pending); // no private note waits one click from public
    }

    [Fact]
    public async Task A_file_naming_a_new_type_on_every_comment_does_not_grow_the_summary_without_bound()
    {
        var comments = string.Concat(Enumerable.Range(1, 100).Select(i => Comment(i, type: "log" + i)));
        var summary = await Import(new CoreWorld(), Wxr(comments));
        Assert.Equal(ImportSummary.MaxReasons + 1, summary.Skipped.Count);
        Assert.Equal(100, summary.Skipped.Values.Sum());
    }

    // 4. A file that breaks half-way.

    private static string HalfWay(out string whole)
    {
        // 1, its reply 2, then 3 answering 4, which the file holds later, then the fault.
        whole = Wxr(Comment(1) + Comment(2, parent: 1, gmt: "2024-03-10 15:00:00") + Comment(3, parent: 4, gmt: "2024-03-12 10:00:00") +
                    Comment(4, gmt: "2024-03-11 10:00:00") + Comment(5, gmt: "2024-03-13 10:00:00"));
        var cut = whole.IndexOf("<wp:comment_id>4</wp:comment_id>", StringComparison.Ordinal) + 40;
        return whole[..cut];
    }

    [Fact]
    public async Task A_file_broken_half_way_stores_what_came_before_rebuilds_the_views_and_says_so()
    {
        var world = new CoreWorld();
        var broken = HalfWay(out var whole);
        var e = await Assert.ThrowsAsync<ImportFileException>(() => Import(world, broken));
        Assert.Contains("truncated", e.Message);
        var stored = e.Summary!;
        Assert.Equal(2, stored.Imported);
        Assert.Equal(1, stored.HeldBack); // 3: its parent was after the fault
        Assert.Equal(0, stored.Orphans);
        Assert.NotNull(stored.Fault);
        Assert.Contains("Stopped: Line", stored.ToString());
        Assert.Equal(2, world.Store.All.Count);
        Assert.Equal(2, await PublicCount(world, "/2024/03/post/"));

        // The fixed file completes it: 3 lands under 4, nothing twice.
        var summary = await Import(world, whole);
        Assert.Equal(3, summary.Imported);
        Assert.Equal(2, summary.AlreadyThere);
        Assert.Equal(0, summary.Orphans);
        var byReason = world.Store.All.ToDictionary(c => c.Reasons[0]);
        Assert.Equal(byReason["imported from wxr #4"].Id, byReason["imported from wxr #3"].ParentId);
        Assert.Equal(5, await PublicCount(world, "/2024/03/post/"));
    }

    [Fact]
    public async Task A_file_broken_after_a_full_batch_keeps_the_batch_and_what_followed()
    {
        var world = new CoreWorld();
        var comments = string.Concat(Enumerable.Range(1, ImportingComments.BatchSize + 10).Select(i => Comment(i, gmt: $"2024-03-10 14:{i / 60 % 60:00}:{i % 60:00}")));
        var text = Wxr(comments);
        var cut = text.IndexOf($"<wp:comment_id>{ImportingComments.BatchSize + 5}</wp:comment_id>", StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<ImportFileException>(() => Import(world, text[..cut]));
        Assert.Equal(ImportingComments.BatchSize + 4, e.Summary!.Imported);
        Assert.Equal(ImportingComments.BatchSize + 4, world.Store.All.Count);
        Assert.Equal(ImportingComments.BatchSize + 4, await PublicCount(world, "/2024/03/post/"));
    }

    // 5. Memory on hostile files.

    /// <summary>A file made as it is read: a head, <paramref name="size"/> bytes of one letter, a tail. Nothing is written to disk or held.</summary>
    private sealed class Generated(string head, long size, string tail) : Stream
    {
        private readonly byte[] _head = Encoding.UTF8.GetBytes(head), _tail = Encoding.UTF8.GetBytes(tail);
        public long Served { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = 0;
            while (n < count)
            {
                var at = Served;
                byte b;
                if (at < _head.Length) b = _head[at];
                else if (at < _head.Length + size) b = (byte)'a';
                else if (at < _head.Length + size + _tail.Length) b = _tail[at - _head.Length - size];
                else break;
                buffer[offset + n++] = b;
                Served++;
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private const long NineHundredMegabytes = 900L * 1024 * 1024;

    [Theory]
    [InlineData("<![CDATA[", "]]>")]
    [InlineData("", "")]
    public async Task A_900_MB_comment_content_is_refused_naming_the_field_and_line_without_being_read_whole(string open, string close)
    {
        var whole = Wxr(Comment(1) + Comment(2, content: "HUGE")).Replace("<![CDATA[HUGE]]>", open + "HUGE" + close);
        var marker = open + "HUGE" + close;
        var at = whole.IndexOf(marker, StringComparison.Ordinal);
        var head = whole[..at] + open;
        var tail = close + whole[(at + marker.Length)..];
        var line = head.Count(c => c == '\n') + 1;
        var file = new Generated(head, NineHundredMegabytes, tail);
        var world = new CoreWorld();
        var e = await Assert.ThrowsAsync<ImportFileException>(() => world.Importing.ImportAsync(file, new ImportOptions(), default));
        Assert.Contains("wp:comment_content", e.Message);
        Assert.Equal(line, e.Line);
        // Refused after a few MB, not after 900: and what came before it is stored.
        Assert.True(file.Served < 40L * 1024 * 1024, $"{file.Served:N0} bytes read");
        Assert.Equal(1, e.Summary!.Imported);
    }

    [Fact]
    public async Task A_900_MB_disqus_message_and_a_900_MB_json_body_are_refused_the_same_way()
    {
        var disqus = new Generated("""<?xml version="1.0"?><disqus xmlns:dsq="http://disqus.com/disqus-internals"><post dsq:id="1"><message><![CDATA[""",
            NineHundredMegabytes, "]]></message></post></disqus>");
        var e = await Assert.ThrowsAsync<ImportFileException>(() => new CoreWorld().Importing.ImportAsync(disqus, new ImportOptions { Format = ImportFormat.Disqus }, default));
        Assert.Contains("<message>", e.Message);
        Assert.True(disqus.Served < 40L * 1024 * 1024);

        var json = new Generated("""[{"thread":"/p/","id":"x","status":"published","createdAt":"2024-01-01T00:00:00Z","author":"A","body":" """,
            NineHundredMegabytes, "\"}]");
        e = await Assert.ThrowsAsync<ImportFileException>(() => new CoreWorld().Importing.ImportAsync(json, new ImportOptions { Format = ImportFormat.Json }, default));
        Assert.Contains("element 1", e.Message);
        Assert.True(json.Served < 40L * 1024 * 1024);
    }

    [Fact]
    public async Task An_item_without_its_link_cannot_hold_comments_without_bound()
    {
        var many = string.Concat(Enumerable.Range(1, WxrReader.MaxWaitingForLink + 1).Select(i => Comment(i)));
        var text = $"""<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>{many}<link>https://old.example.com/p/</link></item></channel></rss>""";
        var e = await Assert.ThrowsAsync<ImportFileException>(() => Import(new CoreWorld(), text));
        Assert.Contains("before its <link>", e.Message);
    }

    // 6. A JSON import never takes over another thread's comment.

    [Fact]
    public async Task A_json_comment_with_the_id_of_another_threads_comment_is_refused_and_counted()
    {
        var world = new CoreWorld();
        await Import(world, Wxr(Comment(1)));
        var victim = world.Store.All.Single();
        var file = JsonSerializer.Serialize(new[]
        {
            new ExportedComment { Thread = "/elsewhere/", Id = victim.Id, Status = CommentStatus.Published.Word(), CreatedAt = victim.CreatedAt, Author = "Mallory", Body = "mine now" },
            new ExportedComment { Thread = "/elsewhere/", Id = CommentId.New(victim.CreatedAt.AddDays(1)), ParentId = victim.Id, Status = CommentStatus.Published.Word(),
                CreatedAt = victim.CreatedAt.AddDays(1), Author = "Mallory", Body = "a reply to it" },
        }, CommentJson.Options);
        var summary = await Import(world, file, new ImportOptions { Format = ImportFormat.Json });
        Assert.Equal(1, summary.Imported);
        Assert.Equal(1, summary.Skipped[SkipReason.IdElsewhere]);
        Assert.Equal(1, summary.Orphans);
        var found = await world.Store.FindAsync(victim.Id, default);
        Assert.Equal(victim.Thread, found!.Thread);
        Assert.Equal(victim.Body, found.Body);
        Assert.Null(world.Store.All.Single(c => c.Thread == "/elsewhere/").ParentId);
        // A dry run says the same, and a second run too: the id is never taken over.
        var dry = await Import(world, file, new ImportOptions { Format = ImportFormat.Json, DryRun = true });
        Assert.Equal(1, dry.Skipped[SkipReason.IdElsewhere]);
        var again = await Import(world, file, new ImportOptions { Format = ImportFormat.Json });
        Assert.Equal(1, again.Skipped[SkipReason.IdElsewhere]);
        Assert.Equal(victim.Thread, (await world.Store.FindAsync(victim.Id, default))!.Thread);
    }

    // 7. One character breaks every export.

    private static readonly string[] NoncharacterList = ["\uFFFF", "\uFFFE", "\uFDD0", "\uFDEF", "\U0001FFFF", "\U0010FFFE"];
    public static TheoryData<string> Noncharacters => new(NoncharacterList);

    [Theory]
    [MemberData(nameof(Noncharacters))]
    public void A_noncharacter_is_refused_where_text_is_posted_or_edited_naming_the_field(string bad) => AssertRefusedInEveryField(bad);

    // Built here, not passed as theory data: xUnit's serialisation turns a lone surrogate into U+FFFD.
    [Fact]
    public void A_lone_surrogate_is_refused_where_text_is_posted_or_edited_naming_the_field()
    {
        AssertRefusedInEveryField(((char)0xDC00).ToString());
        AssertRefusedInEveryField("x" + (char)0xD800);
    }

    private static void AssertRefusedInEveryField(string bad)
    {
        // Posting and the owner's edit both go through the validator.
        foreach (var field in new[] { "thread", "author", "body", "pageTitle" })
        {
            var form = CoreWorld.Form(thread: "/p/", body: "fine", author: "Ann");
            if (field == "thread") form.Thread = "/p" + bad + "/";
            else if (field == "author") form.Author = "Ann" + bad;
            else if (field == "body") form.Body = "text " + bad + " more";
            else form.PageTitle = "Title" + bad;
            var result = CommentValidator.Validate(form, CommentId.New(DateTimeOffset.UtcNow), DateTimeOffset.UtcNow);
            Assert.False(result.IsValid, $"{field}: {string.Join(" ", bad.Select(c => ((int)c).ToString("X4")))}");
            Assert.Equal([field], result.Errors.Keys);
        }
    }

    [Fact]
    public async Task A_posted_comment_with_U_FFFF_gets_a_problem_naming_the_body()
    {
        var world = new CoreWorld();
        var outcome = await world.PostAsync(CoreWorld.Form(body: "Bonjour \uFFFF"));
        Assert.Equal(["body"], Assert.IsType<Accepting.AcceptOutcome.Invalid>(outcome).Errors.Keys);
    }

    /// <summary>The character as JSON writes it escaped: a lone surrogate cannot be serialised otherwise.</summary>
    private static string JsonEscaped(string text) => string.Concat(text.Select(c => $"\\u{(int)c:X4}"));

    // A lone surrogate cannot come through JSON: its reader makes an escaped one U+FFFD.
    [Theory]
    [MemberData(nameof(Noncharacters))]
    public async Task An_imported_json_text_with_a_noncharacter_or_lone_surrogate_is_skipped_and_counted(string bad)
    {
        var world = new CoreWorld();
        var file = JsonSerializer.Serialize(new[]
        {
            new ExportedComment { Thread = "/p/", Id = CommentId.New(world.Clock.GetUtcNow()), Status = CommentStatus.Published.Word(), CreatedAt = world.Clock.GetUtcNow(),
                Author = "Ann", Body = "text BAD more" },
        }, CommentJson.Options).Replace("BAD", JsonEscaped(bad));
        var summary = await Import(world, file, new ImportOptions { Format = ImportFormat.Json });
        Assert.Equal(0, summary.Imported);
        Assert.Equal(1, summary.Skipped[SkipReason.BrokenText]);
    }

    [Theory]
    [InlineData("&#xFFFF;")]
    [InlineData("&#xFDD0;")]
    [InlineData("&#x1FFFE;")]
    public async Task An_imported_wxr_text_with_a_noncharacter_is_skipped_and_counted(string reference)
    {
        var world = new CoreWorld();
        var summary = await Import(world, Wxr(Comment(1, content: "]]>text " + reference + " more<![CDATA[") + Comment(2)));
        Assert.Equal(1, summary.Imported);
        Assert.Equal(1, summary.Skipped[SkipReason.BrokenText]);
        Assert.DoesNotContain(world.Store.All, c => c.Body.Any(ch => ch is '\uFFFF' or '\uFDD0'));
    }

    public static TheoryData<string> Formats => [ExportFormat.Json, ExportFormat.Wxr, ExportFormat.Disqus];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_export_parses_even_with_hostile_text_already_stored(string format)
    {
        var world = new CoreWorld();
        // Rows as an older version stored them, before the rule: every character XML cannot carry.
        var hostile = "a\uFFFFb\uFFFEc\uD800d\uDC00e\u0001f\u001Fg\uFDD0h\U0001FFFFi]]>j<k&l";
        var at = world.Clock.GetUtcNow();
        foreach (var (thread, i) in new[] { ("/p/", 0), ("/p/", 1), ("/q\uFFFF/", 2) })
            await world.Store.AddOnceAsync(new StoredComment
            {
                Id = CommentId.New(at.AddSeconds(i)), Thread = thread, Author = "Au" + hostile, Email = "a@example.com", Body = hostile,
                PageTitle = "T" + hostile, CreatedAt = at.AddSeconds(i), Status = CommentStatus.Published, Reasons = ["r" + hostile], UserAgent = "UA" + hostile,
            }, default);

        var output = new MemoryStream();
        var n = await world.Export.WriteAsync(format, output, "https://blog.example.com/", default);
        Assert.Equal(3, n);
        output.Position = 0;
        if (format == ExportFormat.Json)
        {
            using var document = await JsonDocument.ParseAsync(output);
            Assert.All(document.RootElement.EnumerateArray(), c => Assert.Contains("\uFFFD", c.GetProperty("body").GetString()));
        }
        else
        {
            // Strict XML 1.0: the reader checks every character.
            using var reader = XmlReader.Create(output, new XmlReaderSettings { CheckCharacters = true, DtdProcessing = DtdProcessing.Prohibit });
            var comments = 0;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "comment_content")
                    comments++;
            }
            Assert.Equal(3, comments);
            // And this product reads its own export back.
            output.Position = 0;
            var read = new List<SourceComment>();
            await foreach (var c in ImportingComments.Read(output, ImportFormat.Wxr, default)) // the Disqus import format is a WXR
                read.Add(c);
            Assert.Equal(3, read.Count);
        }
    }
}
