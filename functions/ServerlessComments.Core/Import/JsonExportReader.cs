using System.Runtime.CompilerServices;
using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Export;

namespace ServerlessComments.Import;

/// <summary>Reads this product's own JSON export (<see cref="ExportedComment"/>, one flat array)
/// a comment at a time. Its ids, threads and statuses are kept as they are.</summary>
public static class JsonExportReader
{
    public static async IAsyncEnumerable<SourceComment> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var items = JsonSerializer.DeserializeAsyncEnumerable<ExportedComment>(stream, CommentJson.Options, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        var n = 0;
        while (true)
        {
            ExportedComment? c;
            try
            {
                if (!await items.MoveNextAsync())
                    break;
                c = items.Current;
            }
            catch (JsonException e)
            {
                throw new ImportFileException((int)(e.LineNumber ?? 0) + 1, "the file is not this product's JSON export: " + e.Message);
            }
            n++;
            if (c is null)
                throw new ImportFileException(0, $"comment {n} is null.");
            var status = c.Status switch
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
                Lang = c.Lang, Reasons = c.Reasons,
            };
        }
    }
}
