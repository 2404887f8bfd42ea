using System.Text;

namespace ServerlessComments.Import;

/// <summary>
/// A file read through, with the C0 control characters XML 1.0 forbids (all but tab and line
/// breaks) turned into spaces. WordPress stores what readers typed, such characters included,
/// and exports them as they are: such a file is not XML, but it is the file people have.
/// Byte by byte is safe for UTF-8 (and ASCII-based encodings): no byte below 0x20 is ever part
/// of another character. A UTF-16 file (it starts with its byte-order mark) is left alone.
/// </summary>
/// <remarks>It also bounds memory: the XML reader holds a whole CDATA section, tag or comment
/// before it hands it over, so a hostile file with one 900 MB <c>&lt;wp:comment_content&gt;</c> would be
/// read whole. Here every piece of the file (a run of text, a CDATA section, a tag, an XML
/// comment) longer than <see cref="MaxPieceLength"/> is refused as it streams past, naming the
/// element it is in and its line, before the reader has buffered it.</remarks>
internal sealed class ControlCharacters(Stream inner) : ReadOnlyFilter
{
    /// <summary>Bytes (UTF-16 units for a UTF-16 file) in one piece of the file. A post's
    /// content is one CDATA section, so this is far above any comment's.</summary>
    public const int MaxPieceLength = 16 * 1024 * 1024;

    private enum State { Text, Markup, Quoted, CData, Comment }

    private bool _started;
    private bool _utf16, _bigEndian;
    private int _pendingByte = -1;
    private State _state = State.Text;
    private long _run;
    private int _line = 1;
    private char _quote;
    private readonly StringBuilder _head = new(); // the start of the markup being read: <![CDATA[, <!--, or a tag's name
    private string _element = "the file";
    private int _endMatch; // how much of ]]> or --> has been seen

    /// <summary>Bytes dropped before the first <c>&lt;</c> at most (a stray character, white space
    /// before the XML declaration: remark42's test file starts with a backquote).</summary>
    private const int MaxLeadingJunk = 1024;
    private int _junk;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            n = DropLeadingJunk(buffer.Span[..n]);
            if (n == 0 && _junk > 0 && !_started)
                continue; // all junk so far: read on
            Clean(buffer.Span[..n]);
            return n;
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (true)
        {
            var n = inner.Read(buffer, offset, count);
            n = DropLeadingJunk(buffer.AsSpan(offset, n));
            if (n == 0 && _junk > 0 && !_started)
                continue;
            Clean(buffer.AsSpan(offset, n));
            return n;
        }
    }

    /// <summary>Before the file starts: drops what comes before its first <c>&lt;</c> (unless it is
    /// a byte-order mark), which no XML reader accepts and no XML file needs.</summary>
    private int DropLeadingJunk(Span<byte> bytes)
    {
        if (_started || bytes.Length == 0 || _junk >= MaxLeadingJunk || bytes[0] is (byte)'<' or 0xEF or 0xFE or 0xFF)
            return bytes.Length;
        var skip = 0;
        while (skip < bytes.Length && bytes[skip] != '<' && _junk < MaxLeadingJunk)
        {
            skip++;
            _junk++;
        }
        bytes[skip..].CopyTo(bytes);
        return bytes.Length - skip;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Clean(Span<byte> bytes)
    {
        if (!_started && bytes.Length > 0)
        {
            _started = true;
            _utf16 = bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF));
            _bigEndian = _utf16 && bytes[0] == 0xFE;
        }
        for (var i = 0; i < bytes.Length; i++)
        {
            if (_utf16)
            {
                if (_pendingByte < 0)
                {
                    _pendingByte = bytes[i];
                    continue;
                }
                Step(_bigEndian ? (_pendingByte << 8) | bytes[i] : (bytes[i] << 8) | _pendingByte);
                _pendingByte = -1;
                continue;
            }
            if (bytes[i] < 0x20 && bytes[i] is not (0x09 or 0x0A or 0x0D))
                bytes[i] = 0x20;
            Step(bytes[i]);
        }
    }

    /// <summary>One character (a byte of UTF-8: only ASCII ones matter here) through the states
    /// that tell text, tags, CDATA sections and comments apart.</summary>
    private void Step(int c)
    {
        if (c == '\n')
            _line++;
        if (++_run > MaxPieceLength)
            throw new ImportFileException(_line, $"<{_element}> holds more than {MaxPieceLength / (1024 * 1024)} MB in one piece (text, CDATA section or tag). " +
                                                 "No export this product reads has such a field: the file is refused.");
        switch (_state)
        {
            case State.Text when c == '<':
                _state = State.Markup;
                _run = 0;
                _head.Clear().Append('<');
                break;
            case State.Markup:
                if (c is '"' or '\'')
                {
                    _quote = (char)c;
                    _state = State.Quoted;
                }
                else if (c == '>')
                {
                    if (_head.Length > 1 && _head[1] is not ('/' or '?' or '!'))
                        _element = Name(_head);
                    _state = State.Text;
                    _run = 0;
                }
                else if (_head.Length < 64 && !(c is ' ' or '\t' or '\r' or '\n' or '/' && _head.Length > 1))
                {
                    _head.Append((char)c);
                    if (_head.Length == 9 && _head.ToString() == "<![CDATA[")
                        (_state, _run, _endMatch) = (State.CData, 0, 0);
                    else if (_head.Length == 4 && _head.ToString() == "<!--")
                        (_state, _run, _endMatch) = (State.Comment, 0, 0);
                }
                else if (_head.Length > 1 && _head[1] is not ('/' or '?' or '!'))
                    _head.Append(' '); // the name is complete: nothing more is added to it
                break;
            case State.Quoted when c == _quote:
                _state = State.Markup;
                break;
            case State.CData:
            case State.Comment:
                var end = _state == State.CData ? "]]>" : "-->";
                if (c == end[_endMatch] || (_endMatch == 2 && c == end[1]))
                {
                    // "]]]>" and "--->" still end it: a repeated middle character keeps the match where it is.
                    if (!(_endMatch == 2 && c == end[1]))
                        _endMatch++;
                }
                else
                    _endMatch = c == end[0] ? 1 : 0;
                if (_endMatch == 3)
                    (_state, _run) = (State.Text, 0);
                break;
        }
    }

    private static string Name(StringBuilder head)
    {
        var name = head.ToString(1, head.Length - 1);
        var space = name.IndexOf(' ');
        return space < 0 ? name : name[..space];
    }
}
