using System.Globalization;
using System.Text;
using System.Xml;

namespace ServerlessComments.Import;

/// <summary>
/// An export file read forward only (never loaded whole), with every fault reported as an
/// <see cref="ImportFileException"/> naming its line. Async, since the file may be an HTTP body.
/// </summary>
internal sealed class XmlSource : IDisposable
{
    private static readonly XmlReaderSettings Settings = new()
    {
        Async = true,
        // Export files carry no DTD; one could only be an entity-expansion attack.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        // Character references to control characters (&#12;) are let through as raw ones are
        // (see ControlCharacters); comment texts are cleaned of them afterwards.
        CheckCharacters = false,
        CloseInput = false,
    };

    private readonly XmlReader _xml;

    public XmlSource(Stream stream) => _xml = XmlReader.Create(new ControlCharacters(stream), Settings);

    public XmlReader Xml => _xml;
    public int Line => ((IXmlLineInfo)_xml).LineNumber;

    public async Task<bool> ReadAsync()
    {
        try
        {
            return await _xml.ReadAsync();
        }
        catch (XmlException e)
        {
            throw Fault(e);
        }
    }

    private static ImportFileException Fault(XmlException e) =>
        new(e.LineNumber, e.Message.StartsWith("Unexpected end of file", StringComparison.Ordinal)
            ? "the file ends in the middle of an element: it is truncated. " + e.Message
            : "the file is not well-formed XML: " + e.Message);

    /// <summary>Characters in one field (a comment's HTML, an author, a link…); a comment is at
    /// most 10,000 characters once its HTML is made text, and WordPress stores at most 64 KB.</summary>
    public const int MaxFieldLength = 1_000_000;

    /// <summary>The text of the element the reader is on (its text and CDATA, read by chunks and
    /// never past <see cref="MaxFieldLength"/>); the reader then stands after it.</summary>
    public async Task<string> TextAsync()
    {
        var name = _xml.Name;
        var line = Line;
        if (_xml.IsEmptyElement)
        {
            await ReadAsync();
            return "";
        }
        var depth = _xml.Depth;
        var text = new StringBuilder();
        var chunk = new char[4096];
        if (!await ReadAsync())
            throw Truncated(name);
        while (!(_xml.NodeType == XmlNodeType.EndElement && _xml.Depth == depth))
        {
            if (_xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                try
                {
                    int n;
                    while ((n = await _xml.ReadValueChunkAsync(chunk, 0, chunk.Length)) > 0)
                    {
                        if (text.Length + n > MaxFieldLength)
                            throw new ImportFileException(line, $"<{name}> holds more than {MaxFieldLength:N0} characters: no export this product reads has such a field, the file is refused.");
                        text.Append(chunk, 0, n);
                    }
                }
                catch (XmlException e)
                {
                    throw Fault(e);
                }
            }
            else if (_xml.NodeType == XmlNodeType.Element)
                throw new ImportFileException(Line, $"<{name}> should hold text, not a <{_xml.Name}> element.");
            if (!await ReadAsync())
                throw Truncated(name);
        }
        await ReadAsync(); // past the end tag
        return text.ToString();
    }

    public async Task SkipAsync()
    {
        try
        {
            await _xml.SkipAsync();
        }
        catch (XmlException e)
        {
            throw Fault(e);
        }
    }

    /// <summary>Moves to the first element and checks it is <paramref name="root"/>.</summary>
    public async Task ExpectRootAsync(string root, string what, ImportSummary? report = null)
    {
        while (await ReadAsync())
        {
            if (_xml.NodeType != XmlNodeType.Element)
                continue;
            if (report is not null)
                report.Root = Shorten(_xml.Name);
            if (_xml.LocalName != root)
                throw new ImportFileException(Line, $"the root element is <{_xml.Name}>, but {what} starts with <{root}>.");
            return;
        }
        throw new ImportFileException(Line, $"the file is empty: {what} starts with <{root}>.");
    }

    /// <summary>Throws when the file ended before its root element closed (a truncated file).</summary>
    public ImportFileException Truncated(string root) => new(Line, $"the file ends before </{root}>: it is truncated.");

    public static DateTimeOffset? Date(string text, string[] formats, int line, string field)
    {
        text = text.Trim();
        if (text.Length == 0 || text.StartsWith("0000-00-00", StringComparison.Ordinal))
            return null;
        if (DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            return date;
        throw new ImportFileException(line, $"<{field}> holds '{Shorten(text)}', which is not a date.");
    }

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    public void Dispose() => _xml.Dispose();
}
