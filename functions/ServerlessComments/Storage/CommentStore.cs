using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;

namespace ServerlessComments.Storage;

/// <summary>A comment as stored: one table row, partition = thread key, row = comment id.</summary>
public sealed class CommentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Thread { get; set; } = "";
    public string? ParentId { get; set; }
    public string? PageUrl { get; set; }
    public string? PageTitle { get; set; }
    public string Author { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Website { get; set; }
    public string Body { get; set; } = "";
    public bool NotifyOnReply { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string Status { get; set; } = "";
    /// <summary>The moderation verdict's reasons, one a line; for the owner only.</summary>
    public string? Reasons { get; set; }

    public static CommentEntity From(CommentSubmission comment, Verdict verdict) => new()
    {
        PartitionKey = comment.ThreadKey,
        RowKey = comment.Id,
        Thread = comment.Thread,
        ParentId = comment.ParentId,
        PageUrl = comment.PageUrl,
        PageTitle = comment.PageTitle,
        Author = comment.Author,
        Email = comment.Email,
        Website = comment.Website,
        Body = comment.Body,
        NotifyOnReply = comment.NotifyOnReply,
        CreatedAt = comment.CreatedAt,
        Status = verdict.Status,
        Reasons = string.Join('\n', verdict.Reasons),
    };

    public PublicComment ToPublic() => new(RowKey, ParentId, Author, Website, Body, CreatedAt.UtcDateTime);
}

/// <summary>Reads and writes comments in Azure Table Storage.</summary>
public sealed class CommentStore(TableServiceClient tables, IOptions<StorageOptions> options)
{
    private static readonly string[] PublicColumns =
        ["RowKey", nameof(CommentEntity.Thread), nameof(CommentEntity.ParentId), nameof(CommentEntity.Author),
         nameof(CommentEntity.Website), nameof(CommentEntity.Body), nameof(CommentEntity.CreatedAt)];
    private static readonly string[] CountColumns = [nameof(CommentEntity.Thread)];

    public TableClient Table { get; } = tables.GetTableClient(options.Value.CommentTable);

    /// <summary>Stores a comment once: a second delivery of the same comment changes nothing.</summary>
    /// <returns>False when the comment was already stored.</returns>
    public async Task<bool> AddOnceAsync(CommentEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "EntityAlreadyExists")
        {
            return false;
        }
    }

    /// <summary>True when a comment with this id is stored in this thread.</summary>
    public async Task<bool> ExistsAsync(string thread, string id, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<CommentEntity>(
            ThreadKey.For(thread), id, [nameof(CommentEntity.Thread)], cancellationToken);
        return found.HasValue && found.Value!.Thread == thread;
    }

    public async Task<ThreadView> GetThreadAsync(string thread, CancellationToken cancellationToken)
    {
        var comments = new List<PublicComment>();
        await foreach (var entity in Table.QueryAsync<CommentEntity>(PublishedIn(thread), select: PublicColumns, cancellationToken: cancellationToken))
        {
            // The key is a hash; the stored thread is the truth.
            if (entity.Thread == thread)
                comments.Add(entity.ToPublic());
        }
        return CommentTree.Build(thread, comments);
    }

    public async Task<int> CountAsync(string thread, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var entity in Table.QueryAsync<CommentEntity>(PublishedIn(thread), select: CountColumns, cancellationToken: cancellationToken))
        {
            if (entity.Thread == thread)
                count++;
        }
        return count;
    }

    /// <summary>One cheap request that fails when the table does not answer.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in Table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
            break;
    }

    private static string PublishedIn(string thread) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {ThreadKey.For(thread)} and Status eq {CommentStatus.Published}");
}
