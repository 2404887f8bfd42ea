using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using ServerlessComments.Comments;
using ServerlessComments.Export;
using ServerlessComments.Import;
using ServerlessComments.PersonalData;
using static ServerlessComments.Tests.Core.ImportTests;

namespace ServerlessComments.Tests.Core;

/// <summary>Exporting the site (JSON, WXR, Disqus) and a person's data: find, export, erase.</summary>
public class ExportTests
{
    private static MemoryStream File(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<string> Export(CoreWorld world, string format)
    {
        var output = new MemoryStream();
        await world.Export.WriteAsync(format, output, "https://blog.example.com/", default);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static readonly string Sample = Wxr(
        Comment(1, content: "<p>Bonjour « toi » 🎉</p><p>a &lt; b</p>") + Comment(2, parent: 1, user: 1, author: "Owner", email: "owner@blog.example.com") +
        Comment(3, approved: "0") + Comment(4, approved: "spam") + Comment(5, parent: 2, content: "third level"));

    [Fact]
    public async Task The_json_export_reimports_into_fresh_storage_with_nothing_lost()
    {
        var first = new CoreWorld();
        await first.Importing.ImportAsync(File(Sample), new ImportOptions(), default);
        // The owner corrected one: the edit is part of what must survive.
        var edited = first.Store.All.First(c => c.IsPublished && !c.ByOwner);
        // Its earlier texts (kept when a reader edits) are stored about them: they travel too.
        await first.Store.SaveStatusAsync(edited with
        {
            Body = edited.Body + " (corrigé)", EditedAt = first.Clock.GetUtcNow(),
            History = [new CommentRevision(edited.CreatedAt, edited.Body), new CommentRevision(edited.CreatedAt.AddMinutes(3), edited.Body + " (corrigé ?)")],
        }, default);
        await first.Updater.RefreshAsync(edited.Thread, default);
        // And the owner's lists, which only this product's file can carry.
        await first.OwnerRules.SaveAsync(new Moderation.OwnerLists { HoldWords = ["bitcoin"], BlockIps = ["203.0.113.0/24"], SpamRetentionDays = 30 }, default);
        var exported = await Export(first, ExportFormat.Json);
        Assert.Contains("\"editedAt\"", exported);
        Assert.Contains("(corrigé ?)", exported);

        var second = new CoreWorld();
        var summary = await second.Importing.ImportAsync(File(exported), new ImportOptions { Format = ImportFormat.Json }, default);
        Assert.Equal(5, summary.Imported);
        Assert.Equal(0, summary.Orphans);
        var again = await Export(second, ExportFormat.Json);
        Assert.Equal(exported.Split('\n').Order(StringComparer.Ordinal), again.Split('\n').Order(StringComparer.Ordinal));

        Assert.Equal(JsonSerializer.Serialize(first.OwnerSettings.Lists), JsonSerializer.Serialize(second.OwnerSettings.Lists));
        Assert.Equal(["bitcoin"], second.OwnerSettings.Lists.HoldWords);
        Assert.Equal(first.Store.All.Single(c => c.Id == edited.Id).History, second.Store.All.Single(c => c.Id == edited.Id).History);
        Assert.Equal(2, second.Store.All.Single(c => c.Id == edited.Id).History.Count);
        var one = JsonDocument.Parse(exported).RootElement.EnumerateArray().Single(c => c.TryGetProperty("author", out var a) && a.GetString() == "Owner");
        Assert.True(one.GetProperty("byOwner").GetBoolean());
        Assert.Equal("published", one.GetProperty("status").GetString());
        Assert.NotNull(one.GetProperty("parentId").GetString());

        var page1 = (await first.Reading.ReadAsync("/2024/03/post/", "oldest", null, null, default)).Json;
        var page2 = (await second.Reading.ReadAsync("/2024/03/post/", "oldest", null, null, default)).Json;
        Assert.Equal(Encoding.UTF8.GetString(page1), Encoding.UTF8.GetString(page2));
    }

    [Fact]
    public async Task The_wxr_export_is_a_wordpress_file_this_importer_reads_back_the_same()
    {
        var world = new CoreWorld();
        await world.Importing.ImportAsync(File(Sample), new ImportOptions(), default);
        var wxr = await Export(world, ExportFormat.Wxr);
        var xml = XDocument.Parse(wxr);
        XNamespace wp = "http://wordpress.org/export/1.2/";
        Assert.Equal("1.2", xml.Root!.Element("channel")!.Element(wp + "wxr_version")!.Value);
        var item = Assert.Single(xml.Descendants("item"));
        Assert.Equal("https://old.example.com/2024/03/post/", item.Element("link")!.Value);
        Assert.Equal(5, item.Elements(wp + "comment").Count());
        Assert.Contains(item.Elements(wp + "comment"), c => c.Element(wp + "comment_user_id")!.Value == "1");
        // Text, escaped, so WordPress shows what was written: "a < b", not a tag.
        Assert.Contains("a &lt; b", wxr);

        var back = new CoreWorld();
        await back.Importing.ImportAsync(File(wxr), new ImportOptions(), default);
        Assert.Equal(world.Store.All.Select(c => (c.Body, c.Status, c.ByOwner, c.Author, Parent: c.ParentId is null)).Order(),
            back.Store.All.Select(c => (c.Body, c.Status, c.ByOwner, c.Author, Parent: c.ParentId is null)).Order());
    }

    [Fact]
    public async Task The_disqus_export_names_each_thread_and_leaves_spam_out()
    {
        var world = new CoreWorld();
        await world.Importing.ImportAsync(File(Sample), new ImportOptions(), default);
        var xml = XDocument.Parse(await Export(world, ExportFormat.Disqus));
        XNamespace dsq = "http://www.disqus.com/";
        XNamespace wp = "http://wordpress.org/export/1.0/";
        Assert.Equal("/2024/03/post/", xml.Descendants(dsq + "thread_identifier").Single().Value);
        Assert.Equal(4, xml.Descendants(wp + "comment").Count());
    }

    [Fact]
    public async Task A_persons_comments_are_found_and_anonymised_everywhere()
    {
        var world = new CoreWorld();
        await world.Importing.ImportAsync(File(Sample), new ImportOptions(), default);
        await world.Authors.OptOutOfRepliesAsync("SANDRINE@example.com", default);
        await world.Authors.ConfirmRepliesAsync("sandrine@example.com", default);
        await world.Authors.OptOutOfRepliesAsync("SANDRINE@example.com", default);
        var found = new List<StoredComment>();
        await foreach (var c in world.PersonalData.FindAsync("Sandrine@Example.com", default))
            found.Add(c);
        Assert.Equal(4, found.Count);

        var summary = await world.PersonalData.EraseAsync("sandrine@example.com", EraseMode.Anonymise, keepText: false, "fr", default);
        Assert.Equal(4, summary.Anonymised);
        Assert.Empty(world.Authors.Known);
        Assert.Empty(world.Authors.OptedOut);
        Assert.Empty(world.Authors.Confirmed);
        Assert.All(world.Store.All.Where(c => c.Author != "Owner"), c =>
        {
            Assert.Equal("Anonyme", c.Author);
            Assert.Equal("", c.Email);
            Assert.Null(c.Ip);
            Assert.Null(c.Website);
            Assert.StartsWith("Ce commentaire a été effacé", c.Body);
        });
        var export = await Export(world, ExportFormat.Json);
        Assert.DoesNotContain("sandrine@", export, StringComparison.OrdinalIgnoreCase);
        Assert.Single(export.Split("203.0.113.7").Skip(1)); // only the owner's own comment keeps its IP
        var page = Encoding.UTF8.GetString((await world.Reading.ReadAsync("/2024/03/post/", "oldest", null, null, default)).Json);
        Assert.DoesNotContain("Sandrine", page);
        Assert.DoesNotContain("Bonjour", page);
    }

    [Fact]
    public async Task Deleting_a_persons_comments_leaves_the_others()
    {
        var world = new CoreWorld();
        await world.Importing.ImportAsync(File(Sample), new ImportOptions(), default);
        var summary = await world.PersonalData.EraseAsync("sandrine@example.com", EraseMode.Delete, keepText: true, "en", default);
        Assert.Equal(4, summary.Deleted);
        Assert.Equal("Owner", Assert.Single(world.Store.All).Author);
    }
}
