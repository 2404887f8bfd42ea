using System.Collections.Concurrent;
using System.Diagnostics;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Feeds;

/// <summary>Feed readers written by others: .NET's syndication classes (Atom 1.0 formatter, over a
/// strict XML reader) and, in Node, @rowanmanning/feed-parser (from .tools).</summary>
public static class FeedParsers
{
    public static SyndicationFeed Dotnet(byte[] xml)
    {
        using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, CheckCharacters = true });
        var formatter = new Atom10FeedFormatter();
        Assert.True(formatter.CanRead(reader), "not an Atom 1.0 feed");
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    public static async Task<JsonElement> NodeAsync(byte[] xml)
    {
        var file = Path.Combine(Path.GetTempPath(), "feed-" + Guid.NewGuid().ToString("N") + ".xml");
        await File.WriteAllBytesAsync(file, xml);
        try
        {
            var start = new ProcessStartInfo("node")
            {
                ArgumentList = { Path.Combine(Repo.Root, "tests", "ServerlessComments.Tests", "Feeds", "parse-feed.cjs"), file },
                Environment = { ["NODE_PATH"] = Path.Combine(Repo.Root, ".tools", "node_modules") },
            };
            var lines = new ConcurrentQueue<string>();
            using var process = ChildProcess.Start(start, lines);
            await process.WaitForExitAsync();
            process.WaitForExit(); // and its output read to the end
            Assert.True(process.ExitCode == 0, "feed-parser refused the feed: " + string.Join('\n', lines));
            return JsonDocument.Parse(lines.Single(l => l.StartsWith('{'))).RootElement;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
