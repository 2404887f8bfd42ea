using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessComments.Comments;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>
/// With public views (Widget__StaticBase), the thread views' container is what anyone can read.
/// After a full run (published, held, spam and deleted comments, a reply subscription with its
/// confirmation email, an erasure), everything in that container is listed and read: only the
/// expected names are there, and none holds a private word.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class PublicViewsTests(AzuriteFixture azurite)
{
    private const string Thread = "/public/post/";
    private const string IpPublished = "203.0.113.41";
    private const string IpHeld = "198.51.100.42";
    private const string IpSpam = "192.0.2.43";
    private const string IpErased = "203.0.113.44";
    private const string LinkSecret = "public-views-tests-link-secret-of-enough-length";
    private const string UserAgent = "PublicViewsTests-Agent/1.0 (private)";

    /// <summary>The self-host with public views pointing at its own (Azurite) views container.</summary>
    public static async Task<SelfHost> StartAsync(string connectionString, int blobPort, string outbox, params (string Key, string Value)[] more)
    {
        var container = "threads-" + Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string>
        {
            ["Storage__ThreadContainer"] = container,
            ["Widget__StaticBase"] = $"http://127.0.0.1:{blobPort}/devstoreaccount1/{container}",
            ["Admin__ApiKey"] = Api.AdminKey,
            ["Network__TrustForwardedHeaders"] = "true",
            ["Notifications__LinkSecret"] = LinkSecret,
            ["Notifications__OutboxPath"] = outbox,
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return await SelfHost.StartAsync(connectionString, settings);
    }

    private static Action<HttpRequestMessage> From(string ip) => r =>
    {
        r.Headers.Add("X-Forwarded-For", ip);
        r.Headers.UserAgent.ParseAdd(UserAgent);
    };

    private static object Comment(string body, string author, string email, bool notify = false, string? parentId = null) =>
        new { thread = Thread, body, author, email, parentId, notifyOnReply = notify, pageUrl = "https://blog.example.com" + Thread };

    [Fact]
    public async Task After_a_full_run_the_public_container_holds_only_views_counts_and_widget_files_and_nothing_private()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "serverlesscomments-public-" + Guid.NewGuid().ToString("N")[..8]);
        await using var host = await StartAsync(azurite.ConnectionString, azurite.Azurite.BlobPort, outbox,
            ("Spam__HoldWords", "casino"), ("Spam__BlockWords", "viagra"));
        try
        {
            // Published, with a reply subscription (its confirmation email carries a signed link).
            var first = await host.PostAcceptedAsync(Comment("Public words, first.", "Alma Public", "alma.private@example.net", notify: true), From(IpPublished));
            await host.StoredAsync(first);
            var reply = await host.PostAcceptedAsync(Comment("Public words, a reply.", "Bert Public", "bert.private@example.net", parentId: first), From(IpPublished));
            // Held, spam, and published then deleted by the owner.
            var held = await host.PostAcceptedAsync(Comment("Held words about a casino.", "Cora Held", "cora.private@example.net"), From(IpHeld));
            var spam = await host.PostAcceptedAsync(Comment("Spam words: cheap viagra.", "Dirk Spam", "dirk.private@example.net"), From(IpSpam));
            var deleted = await host.PostAcceptedAsync(Comment("Deleted words, soon gone.", "Ella Deleted", "ella.private@example.net"), From(IpPublished));
            // Published, then erased (with its name) at its author's request.
            var erased = await host.PostAcceptedAsync(Comment("Erased words, forget me.", "Fanny Erased", "fanny.private@example.net"), From(IpErased));
            Assert.Equal("published", (await host.StoredAsync(reply)).GetProperty("status").GetString());
            Assert.Equal("pending", (await host.StoredAsync(held)).GetProperty("status").GetString());
            Assert.Equal("spam", (await host.StoredAsync(spam)).GetProperty("status").GetString());
            await host.StoredAsync(deleted);
            await host.StoredAsync(erased);
            await Eventually.HoldsAsync(async () => await host.CountAsync(Thread) >= 4, "four published comments");
            Assert.Equal(HttpStatusCode.NoContent, (await host.AdminAsync(HttpMethod.Delete, $"comments/{deleted}")).StatusCode);
            using (var erase = new HttpRequestMessage(HttpMethod.Post, "api/admin/personal-data/erase")
            {
                Content = JsonContent.Create(new { email = "fanny.private@example.net", mode = "delete", keepText = false, lang = "en" }),
            })
            {
                erase.Headers.Authorization = new("Bearer", Api.AdminKey);
                Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(erase)).StatusCode);
            }
            await host.DrainedAsync();
            await Eventually.HoldsAsync(async () => (await host.GetThreadAsync(Thread)).GetRawText() is var page &&
                                                    !page.Contains("Deleted words") && !page.Contains("Erased words"), "the deleted and the erased comments to leave the thread");
            Assert.Equal(2, await host.CountAsync(Thread));

            // The secrets a page must never see: tokens of the signed links the emails carry.
            await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(outbox) && Directory.GetFiles(outbox, "*.json").Length > 0), "the confirmation email");
            var tokens = Directory.GetFiles(outbox, "*.json").SelectMany(f => LinkPattern().Matches(Strings(JsonDocument.Parse(File.ReadAllText(f)).RootElement)))
                .SelectMany(m => new Uri(m.Value).Query.TrimStart('?').Split('&').Select(p => Uri.UnescapeDataString(p.Split('=').Last())))
                .Where(v => v.Length >= 16).Distinct().ToList();
            Assert.NotEmpty(tokens);

            var container = new BlobContainerClient(azurite.ConnectionString, host.ThreadContainer);
            // The widget's files are put there at start-up, beside the views.
            await Eventually.HoldsAsync(async () => await container.GetBlobClient("widget/count.js").ExistsAsync(), "the widget's files in the public views");

            var blobs = new Dictionary<string, string>();
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
            {
                var content = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value;
                var bytes = content.Content.ToArray();
                // The widget's files are stored gzipped: read what a browser would.
                if (content.Details.ContentEncoding == "gzip")
                    bytes = Gunzip(bytes);
                blobs[blob.Name] = blob.Name + "\n" + string.Join("\n", blob.Metadata.Select(m => m.Key + "=" + m.Value)) + "\n" + Encoding.UTF8.GetString(bytes);
            }

            var key = ThreadKey.For(Thread);
            Assert.True(blobs.Keys.All(name => ExpectedName().IsMatch(name)), "unexpected blobs: " + string.Join(", ", blobs.Keys.Where(n => !ExpectedName().IsMatch(n))));
            Assert.Contains($"{key}/oldest.json", blobs.Keys);
            Assert.Contains($"{key}/newest.json", blobs.Keys);
            Assert.Contains("widget/comments.js", blobs.Keys);
            // One bundle per language, as the API serves comments.js?lang=de.
            Assert.Contains("widget/comments.de.js", blobs.Keys);
            Assert.Contains("widget/comments.css", blobs.Keys);
            Assert.Contains("widget/count.js", blobs.Keys);
            // Only this thread's folder: no other thread key (not the held, spam or erased comments' threads either).
            Assert.All(blobs.Keys.Where(n => !n.StartsWith("widget/", StringComparison.Ordinal) && n != "counts.json"), n => Assert.StartsWith(key + "/", n));

            // The scan sees what is public…
            var all = string.Join("\n", blobs.Values);
            Assert.Contains("Public words, first.", all);
            Assert.Contains("Bert Public", all);
            // …and nothing else.
            string[] secrets =
            [
                "casino", "viagra", "Deleted words", "Ella Deleted", "Erased words", "Fanny Erased", "Cora Held", "Dirk Spam",
                "alma.private", "bert.private", "cora.private", "dirk.private", "ella.private", "fanny.private", "@example.net",
                IpPublished, IpHeld, IpSpam, IpErased, UserAgent, "PublicViewsTests-Agent",
                Api.AdminKey, LinkSecret, azurite.ConnectionString, Azurite.AccountKey,
                .. tokens,
            ];
            var leaks = blobs.SelectMany(b => secrets.Where(s => b.Value.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{b.Key}: {s}")).ToList();
            Assert.True(leaks.Count == 0, "in the public container:\n" + string.Join("\n", leaks));
        }
        finally
        {
            if (Directory.Exists(outbox))
                Directory.Delete(outbox, recursive: true);
        }
    }

    /// <summary>Every string in an email as written to the outbox (its JSON escapes '&amp;').</summary>
    private static string Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Object => string.Join("\n", e.EnumerateObject().Select(p => Strings(p.Value))),
        JsonValueKind.Array => string.Join("\n", e.EnumerateArray().Select(Strings)),
        _ => "",
    };

    private static byte[] Gunzip(byte[] gzipped)
    {
        using var input = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [GeneratedRegex(@"^(?:[0-9a-f]{64}/(?:oldest|newest)\.json|[0-9a-f]{64}/chunks/[0-9A-Za-z_-]+\.json|counts\.json|widget/(?:comments(?:\.[a-z]{2})?\.js|comments\.css|count\.js))$")]
    private static partial Regex ExpectedName();

    [GeneratedRegex(@"https?://[^\s""<>\\]+")]
    private static partial Regex LinkPattern();
}
