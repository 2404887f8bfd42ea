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
        Action<OwnerLists>? onOwnerLists = null)
    {
        await using var items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, CommentJson.Options, cancellationToken)
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
