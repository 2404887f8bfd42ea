using System.Runtime.CompilerServices;
using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Export;
using ServerlessComments.Moderation;

namespace ServerlessComments.Import;

/// <summary>Reads this product's own JSON export (<see cref="ExportedComment"/>, one flat array)
/// a comment at a time. Its ids, threads and statuses are kept as they are.</summary>
public static class JsonExportReader
{
    public static async IAsyncEnumerable<SourceComment> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken,
        Action<OwnerLists>? onOwnerLists = null, ImportSummary? report = null)
    {
        if (report is not null)
            report.Root = "[";
        await using var items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(new JsonPieces(stream), CommentJson.Options, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        var n = 0;
        while (true)
        {
            ExportedComment? c;
            try
            {
                if (!await items.MoveNextAsync())
                    break;
                var item = items.Current;
                // The owner's lists are an element of their own, {"ownerLists": {…}}, not a comment.
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("ownerLists", out var lists))
                {
                    onOwnerLists?.Invoke(lists.Deserialize<OwnerLists>(CommentJson.Options) ?? OwnerLists.Empty);
                    continue;
                }
                c = item.Deserialize<ExportedComment>(CommentJson.Options);
            }
            catch (JsonException e)
            {
                throw new ImportFileException((int)(e.LineNumber ?? 0) + 1, "the file is not this product's JSON export: " + e.Message);
            }
            n++;
            if (c is null)
                throw new ImportFileException(0, $"comment {n} is null.");
            var status = CommentStatuses.Parse(c.Status) switch
            {
                CommentStatus.Published => SourceStatus.Published,
                CommentStatus.Pending => SourceStatus.Pending,
                CommentStatus.Spam => SourceStatus.Spam,
                _ => throw new ImportFileException(0, $"comment {n} ({c.Id}) has status '{XmlSource.Shorten(c.Status ?? "")}', not published, pending or spam."),
            };
            yield return new SourceComment
            {
                Source = ImportFormat.Json, Id = c.Id, ParentId = c.ParentId, Line = n, Thread = c.Thread, Link = c.PageUrl, Title = c.PageTitle,
                Author = c.Author, Email = c.Email, Website = c.Website, Ip = c.Ip, UserAgent = c.UserAgent, Referrer = c.Referrer,
                Body = c.Body ?? "", CreatedAt = c.CreatedAt, Status = status, ByOwner = c.ByOwner, EditedAt = c.EditedAt, NotifyOnReply = c.NotifyOnReply,
                Lang = c.Lang, Reasons = c.Reasons, History = c.History,
            };
        }
    }

    /// <summary>The file read through, refusing any one element of the array longer than
    /// <see cref="ControlCharacters.MaxPieceLength"/> bytes as it streams past: the JSON reader holds a
    /// whole element before it hands it over, so one 900 MB "body" would be held whole.</summary>
    private sealed class JsonPieces(Stream inner) : ReadOnlyFilter
    {
        private bool _inString, _escape;
        private int _depth, _line = 1, _element;
        private long _run;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Check(buffer.Span[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Check(buffer.AsSpan(offset, n));
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Check(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                if (b == '\n')
                    _line++;
                if (_inString)
                {
                    if (_escape) _escape = false;
                    else if (b == '\\') _escape = true;
                    else if (b == '"') _inString = false;
                }
                else if (b == '"') _inString = true;
                else if (b is (byte)'{' or (byte)'[')
                {
                    if (++_depth == 2)
                        _element++;
                }
                else if (b is (byte)'}' or (byte)']') _depth--;
                if (_depth <= 1 && !_inString)
                    _run = 0;
                else if (++_run > ControlCharacters.MaxPieceLength)
                    throw new ImportFileException(_line, $"element {_element} of the array is longer than {ControlCharacters.MaxPieceLength / (1024 * 1024)} MB: no comment is; the file is refused.");
            }
        }
    }
}
