using System.Globalization;
using System.Text;
using System.Xml;

namespace ServerlessComments.Feeds;

/// <summary>One comment in a feed, as the public may see it (no address).</summary>
public sealed record FeedEntry(string Id, string Title, string Author, string? AuthorUri, string Text, DateTime Published, DateTime Updated, string? Link);

/// <summary>A feed's own facts: its tag: id, title, the address it is served at, the page it is about.</summary>
public sealed record FeedHead(string Id, string Title, string Self, string? Alternate, string Lang);

/// <summary>
/// Writes an Atom 1.0 document (RFC 4287) with an XML writer, so every text is escaped by it; what
/// XML 1.0 cannot carry at all (most control characters, lone surrogates, U+FFFE/U+FFFF) is dropped
/// first, so any comment still gives a well-formed feed. Texts go out as <c>type="text"</c>: no
/// reader's markup is ever HTML in a feed reader.
/// </summary>
public static class AtomFeed
{
    public const string Namespace = "http://www.w3.org/2005/Atom";

    public static byte[] Write(FeedHead head, IReadOnlyList<FeedEntry> entries)
    {
        var output = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, CheckCharacters = true };
        using (var xml = XmlWriter.Create(output, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Namespace);
            xml.WriteAttributeString("xml", "lang", null, head.Lang);
            Text(xml, "id", head.Id);
            Text(xml, "title", head.Title, typed: true);
            var updated = entries.Count == 0 ? DateTime.UnixEpoch : entries.Max(e => e.Updated);
            Text(xml, "updated", Date(updated));
            Link(xml, "self", head.Self, "application/atom+xml");
            if (head.Alternate is not null)
                Link(xml, "alternate", head.Alternate, "text/html");
            Text(xml, "generator", "ServerlessComments");
            foreach (var entry in entries)
            {
                xml.WriteStartElement("entry");
                Text(xml, "id", entry.Id);
                Text(xml, "title", entry.Title, typed: true);
                Text(xml, "published", Date(entry.Published));
                Text(xml, "updated", Date(entry.Updated));
                xml.WriteStartElement("author");
                Text(xml, "name", entry.Author);
                if (entry.AuthorUri is not null)
                    Text(xml, "uri", entry.AuthorUri);
                xml.WriteEndElement();
                if (entry.Link is not null)
                    Link(xml, "alternate", entry.Link, "text/html");
                Text(xml, "content", entry.Text, typed: true);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return output.ToArray();
    }

    /// <summary>The text without what XML 1.0 forbids (<c>Char</c> production): C0 controls other
    /// than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.</summary>
    public static string XmlSafe(string text)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var ok = pair || XmlConvert.IsXmlChar(c);
            if (ok && kept is null)
            {
                if (pair)
                    i++;
                continue;
            }
            kept ??= new StringBuilder(text.Length).Append(text, 0, i);
            if (!ok)
                continue;
            kept.Append(c);
            if (pair)
                kept.Append(text[++i]);
        }
        return kept?.ToString() ?? text;
    }

    private static string Date(DateTime when) =>
        DateTime.SpecifyKind(when, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Text(XmlWriter xml, string name, string value, bool typed = false)
    {
        xml.WriteStartElement(name);
        if (typed)
            xml.WriteAttributeString("type", "text");
        xml.WriteString(XmlSafe(value));
        xml.WriteEndElement();
    }

    private static void Link(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link");
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", XmlSafe(href));
        xml.WriteEndElement();
    }
}
