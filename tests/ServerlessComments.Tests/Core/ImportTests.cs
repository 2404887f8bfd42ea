using System.Security;
using System.Text;
using ServerlessComments.Comments;
using ServerlessComments.Import;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Core;

/// <summary>Importing WordPress (WXR) and Disqus exports: readers, mapping rules, and the
/// service over in-memory ports (no email, known authors, views, idempotence, dry run).</summary>
public class ImportTests
{
    internal static string Wxr(string comments, string version = "1.2", string link = "https://old.example.com/2024/03/post/") => $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{version}/">
        <channel>
          <title>Blog</title>
          <wp:wxr_version>{version}</wp:wxr_version>
          <item>
            <title>A post &amp; more</title>
            <link>{link}</link>
            <guid isPermaLink="false">https://old.example.com/?p=12</guid>
            <content:encoded><![CDATA[<p>The post</p>]]></content:encoded>
            <wp:post_id>12</wp:post_id>
            <wp:post_name>post</wp:post_name>
            <wp:postmeta><wp:meta_key>x</wp:meta_key><wp:meta_value><![CDATA[y]]></wp:meta_value></wp:postmeta>
        {comments}
          </item>
        </channel>
        </rss>
        """;

    internal static string Comment(int id, string content = "Hello", string approved = "1", int parent = 0, string type = "", int user = 0,
        string gmt = "2024-03-10 14:22:05", string local = "2024-03-10 15:22:05", string author = "Sandrine", string email = "sandrine@example.com") => $"""
            <wp:comment>
              <wp:comment_id>{id}</wp:comment_id>
              <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
              <wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
              <wp:comment_author_url>https://sandrine.example.org</wp:comment_author_url>
              <wp:comment_author_IP><![CDATA[203.0.113.7]]></wp:comment_author_IP>
              <wp:comment_date><![CDATA[{local}]]></wp:comment_date>
              <wp:comment_date_gmt><![CDATA[{gmt}]]></wp:comment_date_gmt>
              <wp:comment_content><![CDATA[{content}]]></wp:comment_content>
              <wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
              <wp:comment_type><![CDATA[{type}]]></wp:comment_type>
              <wp:comment_parent>{parent}</wp:comment_parent>
              <wp:comment_user_id>{user}</wp:comment_user_id>
              <wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key><wp:meta_value><![CDATA[false]]></wp:meta_value></wp:commentmeta>
            </wp:comment>
        """;

    private static MemoryStream File(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<List<SourceComment>> ReadAll(string format, string text)
    {
        var all = new List<SourceComment>();
        await foreach (var c in ImportingComments.Read(File(text), format, default))
            all.Add(c);
        return all;
    }

    private static async Task<ImportSummary> Import(CoreWorld world, string text, ImportOptions? options = null) =>
        await world.Importing.ImportAsync(File(text), options ?? new ImportOptions(), default);

    [Theory]
    [InlineData("1.1")]
    [InlineData("1.2")]
    public async Task The_wxr_reader_finds_every_comment_with_its_page_status_parent_and_owner(string version)
    {
        var comments = await ReadAll(ImportFormat.Wxr, Wxr(
            Comment(1) + Comment(2, parent: 1, user: 1, author: "Blog author") + Comment(3, approved: "0") + Comment(4, approved: "spam") +
            Comment(5, approved: "trash") + Comment(6, type: "pingback"), version));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], comments.Select(c => c.Id));
        Assert.All(comments, c => Assert.Equal("https://old.example.com/2024/03/post/", c.Link));
        Assert.Equal("A post & more", comments[0].Title);
        Assert.Equal("12 https://old.example.com/?p=12", comments[0].Identifier);
        Assert.Equal([SourceStatus.Published, SourceStatus.Published, SourceStatus.Pending, SourceStatus.Spam, SourceStatus.Trash, SourceStatus.Published],
            comments.Select(c => c.Status));
        Assert.Equal("1", comments[1].ParentId);
        Assert.Null(comments[0].ParentId);
        Assert.True(comments[1].ByOwner);
        Assert.False(comments[0].ByOwner);
        Assert.Equal(SourceKind.Pingback, comments[5].Kind);
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 14, 22, 5, TimeSpan.Zero), comments[0].CreatedAt);
    }

    [Fact]
    public async Task A_zero_gmt_date_falls_back_to_the_local_date()
    {
        var comments = await ReadAll(ImportFormat.Wxr, Wxr(Comment(1, gmt: "0000-00-00 00:00:00", local: "2009-05-01 08:00:00")));
        Assert.Equal(new DateTimeOffset(2009, 5, 1, 8, 0, 0, TimeSpan.Zero), comments.Single().CreatedAt);
    }

    [Theory]
    [InlineData("<rss><channel><item><title>x</title>", "truncated")] // cut off mid-file
    [InlineData("<?xml version=\"1.0\"?>\n<feed></feed>", "root element is <feed>")]
    [InlineData("<rss><channel><item><link>https://a.example/p</link>\n<wp:comment xmlns:wp=\"http://wordpress.org/export/1.2/\"><wp:comment_id>1</wp:comment_id>\n<wp:comment_date_gmt>yesterday</wp:comment_date_gmt></wp:comment></item></channel></rss>", "not a date")]
    [InlineData("<rss><channel><item><link>a &nope; b</link></item></channel></rss>", "not well-formed")]
    public async Task A_bad_file_is_refused_naming_its_line_and_the_fault(string text, string fault)
    {
        var e = await Assert.ThrowsAsync<ImportFileException>(() => ReadAll(ImportFormat.Wxr, text));
        Assert.Contains(fault, e.Message);
        Assert.True(e.Line >= 1, e.Message);
        Assert.StartsWith($"Line {e.Line}:", e.Message);
    }

    [Fact]
    public async Task A_bad_date_names_the_line_it_is_on()
    {
        var text = Wxr(Comment(1) + Comment(2, gmt: "31/12/2020"));
        var e = await Assert.ThrowsAsync<ImportFileException>(() => ReadAll(ImportFormat.Wxr, text));
        var line = text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains("31/12/2020")).i + 1;
        Assert.Equal(line, e.Line);
        Assert.Contains("wp:comment_date_gmt", e.Message);
    }

    [Theory]
    [InlineData("Hello <b>world</b>", "Hello world")]
    [InlineData("<p>One</p><p>Two</p>", "One\n\nTwo")]
    [InlineData("line one<br>line two<br />three", "line one\nline two\nthree")]
    [InlineData("WordPress keeps\nraw newlines\n\nand paragraphs", "WordPress keeps\nraw newlines\n\nand paragraphs")]
    [InlineData("Caf&eacute; &amp; th&#233; &lt;3", "Café & thé <3")]
    [InlineData("See <a href=\"https://example.org/x\">this page</a>.", "See this page (https://example.org/x).")]
    [InlineData("<a href=\"https://example.org/\">https://example.org/</a>", "https://example.org/")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a>", "click")]
    [InlineData("a<script>alert(1)</script>b<style>p{}</style>c", "abc")]
    [InlineData("<blockquote>quoted</blockquote>reply", "quoted\n\nreply")]
    public void Html_becomes_plain_text(string html, string text) => Assert.Equal(text, HtmlText.ToText(html));

    [Fact]
    public void Derived_ids_are_version_7_carry_the_comments_time_and_are_stable()
    {
        var at = new DateTimeOffset(2024, 3, 10, 14, 22, 5, 123, TimeSpan.Zero);
        var id = CommentId.Derived(at, "wxr:42");
        Assert.True(CommentId.IsWellFormed(id));
        Assert.Equal(id, CommentId.Derived(at, "wxr:42"));
        Assert.NotEqual(id, CommentId.Derived(at, "wxr:43"));
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(id[..12], 16));
        Assert.Equal('7', id[12]);
        Assert.Contains(id[16], "89ab");
        Assert.True(string.CompareOrdinal(id, CommentId.Derived(at.AddMilliseconds(1), "wxr:1")) < 0);
    }

    [Fact]
    public async Task An_import_stores_by_status_skips_trash_and_pingbacks_links_replies_and_reports_orphans()
    {
        var world = new CoreWorld();
        var summary = await Import(world, Wxr(
            Comment(1) + Comment(2, parent: 1, user: 1, author: "Blog author", email: "owner@blog.example.com") + Comment(3, approved: "0") +
            Comment(4, approved: "spam") + Comment(5, approved: "trash") + Comment(6, type: "pingback") + Comment(7, parent: 99) + Comment(8, parent: 5)));

        Assert.Equal(8, summary.Read);
        Assert.Equal(6, summary.Imported);
        Assert.Equal(2, summary.Orphans); // 7's parent is not in the file, 8's was trashed
        Assert.Equal(new Dictionary<string, int> { ["pingback"] = 1, ["trash"] = 1 }, summary.Skipped);
        Assert.Equal(1, summary.Threads);

        var stored = world.Store.All.ToDictionary(c => c.Reasons[0]);
        Assert.All(stored.Values, c => Assert.Equal("/2024/03/post/", c.Thread));
        Assert.Equal(CommentStatus.Pending, stored["imported from wxr #3"].Status);
        Assert.Equal(CommentStatus.Spam, stored["imported from wxr #4"].Status);
        Assert.Equal(stored["imported from wxr #1"].Id, stored["imported from wxr #2"].ParentId);
        Assert.True(stored["imported from wxr #2"].ByOwner);
        Assert.Null(stored["imported from wxr #7"].ParentId);
        Assert.Equal("https://old.example.com/2024/03/post/", stored["imported from wxr #1"].PageUrl);
        Assert.Equal("203.0.113.7", stored["imported from wxr #1"].Ip);

        // No email; the author of the published comments is known; the public view is built.
        Assert.Empty(world.Mail.Sent);
        Assert.Empty(world.Jobs.Emails);
        Assert.True(await world.Authors.IsKnownAuthorAsync("sandrine@example.com", "Sandrine", default));
        var page = System.Text.Json.JsonDocument.Parse((await world.Reading.ReadAsync("/2024/03/post/", "oldest", null, null, default)).Json).RootElement;
        Assert.Equal(4, page.GetProperty("count").GetInt32()); // 1, its reply 2, and orphans 7 and 8
    }

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing_the_second_time()
    {
        var world = new CoreWorld();
        var file = Wxr(Comment(1) + Comment(2, parent: 1) + Comment(3, approved: "0"));
        var first = await Import(world, file);
        var before = world.Store.All.OrderBy(c => c.Id).ToList();
        var second = await Import(world, file);
        Assert.Equal(3, first.Imported);
        Assert.Equal(0, second.Imported);
        Assert.Equal(3, second.AlreadyThere);
        Assert.Equal(before, world.Store.All.OrderBy(c => c.Id).ToList());
    }

    [Fact]
    public async Task A_dry_run_counts_and_writes_nothing()
    {
        var world = new CoreWorld();
        var summary = await Import(world, Wxr(Comment(1) + Comment(2, approved: "trash")), new ImportOptions { DryRun = true });
        Assert.True(summary.DryRun);
        Assert.Equal(1, summary.Imported);
        Assert.Empty(world.Store.All);
        Assert.Empty(world.Authors.Known);

        // After a real import of the first, a dry run of both says one is there and one would be added.
        await Import(world, Wxr(Comment(1)), new ImportOptions());
        var again = await Import(world, Wxr(Comment(1) + Comment(3)), new ImportOptions { DryRun = true });
        Assert.Equal(1, again.AlreadyThere);
        Assert.Equal(1, again.Imported);
        Assert.Single(world.Store.All);
    }

    [Fact]
    public async Task Mapping_options_choose_the_thread_rewrite_old_addresses_and_keep_pingbacks()
    {
        var file = Wxr(Comment(1) + Comment(2, type: "trackback"), link: "https://old.example.com/blog/2024/post/?utm=x");
        var byUrl = new CoreWorld();
        await Import(byUrl, file, new ImportOptions { Map = ThreadMapping.Url, Rewrites = [("https://old.example.com/blog/", "https://new.example.com/")], ImportPingbacks = true });
        Assert.Equal(["https://new.example.com/2024/post/?utm=x"], byUrl.Store.All.Select(c => c.Thread).Distinct());
        Assert.Equal(2, byUrl.Store.All.Count);
        Assert.Contains(byUrl.Store.All, c => c.Reasons[0].StartsWith("imported trackback", StringComparison.Ordinal));

        var byPath = new CoreWorld();
        await Import(byPath, file, new ImportOptions { Rewrites = [("/blog/", "/")] });
        Assert.Equal("/2024/post/", byPath.Store.All.Single().Thread);

        var byIdentifier = new CoreWorld();
        await Import(byIdentifier, file, new ImportOptions { Map = ThreadMapping.Identifier });
        Assert.Equal("12 https://old.example.com/?p=12", byIdentifier.Store.All.Single().Thread);
    }

    [Fact]
    public async Task Fields_are_cleaned_and_capped_as_posted_comments_are()
    {
        var world = new CoreWorld();
        var summary = await Import(world, Wxr(Comment(1, content: new string('x', 12_000), author: "", email: "not an address") + Comment(2, content: "<p> </p>")),
            new ImportOptions { Lang = "fr" });
        var stored = world.Store.All.Single();
        Assert.Equal(CommentValidator.MaxBodyLength, stored.Body.Length);
        Assert.Equal(1, summary.Truncated);
        Assert.Equal("Anonyme", stored.Author);
        Assert.Equal("", stored.Email);
        Assert.Equal(1, summary.Skipped["empty"]);
    }

    internal const string DisqusSample = """
        <?xml version="1.0" encoding="utf-8"?>
        <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
          <category dsq:id="1"><forum>blog</forum><title>General</title><isDefault>true</isDefault></category>
          <thread dsq:id="100">
            <id>post-42</id><forum>blog</forum><category dsq:id="1" />
            <link>https://blog.example.com/2024/03/post/</link><title>A post</title><message />
            <createdAt>2024-03-01T10:00:00Z</createdAt>
            <author><email>owner@blog.example.com</email><name>Owner</name><isAnonymous>false</isAnonymous><username>owner</username></author>
            <isClosed>false</isClosed><isDeleted>false</isDeleted>
          </thread>
          <post dsq:id="1001">
            <id /><message><![CDATA[<p>First!</p><p>Second paragraph</p>]]></message>
            <createdAt>2024-03-02T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
            <author><email>reader@example.com</email><name>Reader</name><isAnonymous>false</isAnonymous><username>reader</username></author>
            <ipAddress>198.51.100.4</ipAddress><thread dsq:id="100" />
          </post>
          <post dsq:id="1002">
            <id /><message><![CDATA[Reply]]></message>
            <createdAt>2024-03-02T11:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
            <author><email>other@example.com</email><name>Other</name><isAnonymous>false</isAnonymous></author>
            <ipAddress>198.51.100.5</ipAddress><thread dsq:id="100" /><parent dsq:id="1001" />
          </post>
          <post dsq:id="1003">
            <id /><message><![CDATA[Buy pills]]></message>
            <createdAt>2024-03-03T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>true</isSpam>
            <author><name>Spammer</name><isAnonymous>true</isAnonymous></author><thread dsq:id="100" />
          </post>
          <post dsq:id="1004">
            <id /><message><![CDATA[gone]]></message>
            <createdAt>2024-03-04T10:00:00Z</createdAt><isDeleted>true</isDeleted><isSpam>false</isSpam>
            <author><name>X</name></author><thread dsq:id="100" />
          </post>
        </disqus>
        """;

    [Fact]
    public async Task The_disqus_reader_and_import_keep_threads_nesting_and_statuses()
    {
        var posts = await ReadAll(ImportFormat.Disqus, DisqusSample);
        Assert.Equal(["1001", "1002", "1003", "1004"], posts.Select(p => p.Id));
        Assert.Equal("post-42", posts[0].Identifier);
        Assert.Equal("Reader", posts[0].Author);
        Assert.Equal("1001", posts[1].ParentId);
        Assert.Equal([SourceStatus.Published, SourceStatus.Published, SourceStatus.Spam, SourceStatus.Deleted], posts.Select(p => p.Status));

        var world = new CoreWorld();
        var summary = await Import(world, DisqusSample, new ImportOptions { Format = ImportFormat.Disqus });
        Assert.Equal(3, summary.Imported);
        Assert.Equal(1, summary.Skipped["deleted"]);
        var first = world.Store.All.Single(c => c.Author == "Reader");
        Assert.Equal("First!\n\nSecond paragraph", first.Body);
        Assert.Equal("/2024/03/post/", first.Thread);
        Assert.Equal(first.Id, world.Store.All.Single(c => c.Author == "Other").ParentId);

        var byIdentifier = new CoreWorld();
        await Import(byIdentifier, DisqusSample, new ImportOptions { Format = ImportFormat.Disqus, Map = ThreadMapping.Identifier });
        Assert.All(byIdentifier.Store.All, c => Assert.Equal("post-42", c.Thread));
    }

    [Fact]
    public async Task Earlier_texts_in_a_json_file_are_held_to_a_texts_rules_and_kept_to_the_five_newest()
    {
        var over = new string('x', CommentValidator.MaxBodyLength + 50);
        var history = string.Join(",", new[]
        {
            "{\"at\":\"2024-01-01T00:01:00Z\",\"body\":\"one\"}", "{\"at\":\"2024-01-01T00:02:00Z\",\"body\":\"two\"}",
            "{\"at\":\"2024-01-01T00:03:00Z\",\"body\":null}", "{\"at\":\"2024-01-01T00:04:00Z\",\"body\":\"not text \\uffff\"}",
            "{\"body\":\"no date\"}", "{\"at\":\"2024-01-01T00:05:00Z\",\"body\":\"" + over + "\"}",
            "{\"at\":\"2024-01-01T00:06:00Z\",\"body\":\"s\\u0007ix\"}", "{\"at\":\"2024-01-01T00:07:00Z\",\"body\":\"seven\"}",
            "{\"at\":\"2024-01-01T00:08:00+02:00\",\"body\":\"eight\"}",
        });
        var file = "[\n{\"thread\":\"/a/\",\"id\":\"0190a1b2c3d47e5f8a1b2c3d4e5f6a7b\",\"status\":\"published\",\"createdAt\":\"2024-01-01T00:00:00Z\",\"author\":\"A\",\"body\":\"now\",\"history\":[" + history + "]}\n]";
        var world = new CoreWorld();
        await world.Importing.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)), new ImportOptions { Format = ImportFormat.Json }, default);

        var stored = Assert.Single(world.Store.All);
        // Null, broken and undated texts dropped, a control character taken out; the newest five kept, oldest
        // first, in UTC ("eight" is the oldest: 00:08 at UTC+2); the long one cut at the limit.
        Assert.Equal(["one", "two", "over", "six", "seven"], stored.History.Select(r => r.Body.Length > 5 ? "over" : r.Body));
        Assert.All(stored.History, r => Assert.Equal(TimeSpan.Zero, r.At.Offset));
        Assert.Equal(CommentValidator.MaxBodyLength, CommentValidator.LengthOf(stored.History.Single(r => r.Body.Length > 5).Body));
    }

    [Fact]
    public async Task A_disqus_file_with_the_wrong_root_is_refused()
    {
        var e = await Assert.ThrowsAsync<ImportFileException>(() => ReadAll(ImportFormat.Disqus, Wxr(Comment(1))));
        Assert.Contains("<rss>", e.Message);
        Assert.Equal(2, e.Line);
    }

    [Theory]
    [InlineData("disqus", "<disqus xmlns=\"http://disqus.com\"><thread", "truncated")]
    [InlineData("disqus", "<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">\n<post dsq:id=\"1\"><message>x</message><createdAt>2024-01-01T00:00:00Z</createdAt></post></disqus>", "names no <thread")]
    [InlineData("json", "{\"thread\": \"/a/\"}", "not this product's JSON export")]
    [InlineData("json", "[\n{\"thread\": \"/a/\", \"id\": 1}\n]", "not this product's JSON export")]
    [InlineData("json", "[\n{\"thread\":\"/a/\",\"id\":\"0190a1b2c3d47e5f8a1b2c3d4e5f6a7b\",\"status\":\"deleted\",\"createdAt\":\"2024-01-01T00:00:00Z\",\"author\":\"A\",\"body\":\"x\"}\n]", "status 'deleted'")]
    public async Task Bad_disqus_and_json_files_are_refused_saying_what_is_wrong(string format, string text, string fault)
    {
        var e = await Assert.ThrowsAsync<ImportFileException>(() => ReadAll(format, text));
        Assert.Contains(fault, e.Message);
    }

    [Theory]
    [InlineData("IntrudersXSS.txt")]
    [InlineData("RSNAKE_XSS.txt")]
    [InlineData("XSS_Polyglots.txt")]
    public async Task No_markup_from_an_imported_file_survives_as_markup(string list)
    {
        var payloads = System.IO.File.ReadAllLines(SharedFiles.Path("data/xss/" + list)).Where(l => l.Trim().Length > 0).ToList();
        // Each payload as a comment's HTML, and (escaped) as its author's name.
        var file = Wxr(string.Concat(payloads.Select((p, i) => Comment(i + 1, content: p.Replace("]]>", "]]]]><![CDATA[>"),
            author: SecurityElement.Escape(p)!.Replace("]]>", "]]]]><![CDATA[>")))));
        var world = new CoreWorld();
        var summary = await Import(world, file);
        Assert.Equal(payloads.Count, summary.Read);
        foreach (var comment in world.Store.All)
        {
            var payload = payloads[int.Parse(comment.Reasons[0].Split('#')[1]) - 1];
            // A tag can only come back from text the file itself escaped (&lt;…), which the blog
            // showed as text too; never from markup.
            if (!payload.Contains('&'))
                Assert.DoesNotMatch("<[a-zA-Z/!?]", comment.Body);
        }
    }
}
