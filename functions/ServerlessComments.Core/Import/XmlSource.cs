using System.Globalization;
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

    /// <summary>The text of the element the reader is on; the reader then stands after it.</summary>
    public async Task<string> TextAsync()
    {
        var name = _xml.Name;
        try
        {
            return await _xml.ReadElementContentAsStringAsync();
        }
        catch (XmlException e)
        {
            throw Fault(e);
        }
        catch (InvalidOperationException e)
        {
            throw new ImportFileException(Line, $"<{name}> should hold text: " + e.Message);
        }
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
    public async Task ExpectRootAsync(string root, string what)
    {
        while (await ReadAsync())
        {
            if (_xml.NodeType != XmlNodeType.Element)
                continue;
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
