namespace ServerlessComments.Import;

/// <summary>
/// A file read through, with the C0 control characters XML 1.0 forbids (all but tab and line
/// breaks) turned into spaces. WordPress stores what readers typed, such characters included,
/// and exports them as they are: such a file is not XML, but it is the file people have.
/// Byte by byte is safe for UTF-8 (and ASCII-based encodings): no byte below 0x20 is ever part
/// of another character. A UTF-16 file (it starts with its byte-order mark) is left alone.
/// </summary>
internal sealed class ControlCharacters(Stream inner) : Stream
{
    private bool _started;
    private bool _passThrough;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Clean(buffer.Span[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Clean(buffer.AsSpan(offset, n));
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Clean(Span<byte> bytes)
    {
        if (!_started && bytes.Length > 0)
        {
            _started = true;
            _passThrough = bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF));
        }
        if (_passThrough)
            return;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] < 0x20 && bytes[i] is not (0x09 or 0x0A or 0x0D))
                bytes[i] = 0x20;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
