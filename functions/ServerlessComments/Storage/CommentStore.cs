using System.Security.Cryptography;
using System.Text;
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
    public string? Lang { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string Status { get; set; } = "";
    /// <summary>The moderation verdict's reasons, one a line; for the owner only.</summary>
    public string? Reasons { get; set; }

    // For spam handling only (Akismet's comment-check, submit-spam and submit-ham); erased after
    // Privacy__RetentionDays, never in a public answer.
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string? Referrer { get; set; }
    public string? Honeypot { get; set; }
    public bool ClientDataErased { get; set; }

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
        Lang = comment.Lang,
        CreatedAt = comment.CreatedAt,
        Status = verdict.Status,
        Reasons = string.Join('\n', verdict.Reasons),
        Ip = comment.Ip,
        UserAgent = comment.UserAgent,
        Referrer = comment.Referrer,
        Honeypot = comment.Honeypot,
    };

    public PublicComment ToPublic() => new(RowKey, ParentId, Author, Website, Body, CreatedAt.UtcDateTime);

    public AkismetComment ToAkismet() =>
        new(Ip, UserAgent, Referrer, PageUrl, ParentId is not null, Author, Email, Website, Body, CreatedAt, Honeypot);
}

/// <summary>
/// Reads and writes comments in Azure Table Storage. Besides the comment rows (partition = thread
/// key, 64 hex digits), the table holds a few small index partitions whose names start with "~",
/// so they can never be mistaken for a thread: comment id → thread, known authors, and the
/// accept-time flood and duplicate guards.
/// </summary>
public sealed class CommentStore(TableServiceClient tables, IOptions<StorageOptions> options)
{
    private const string ById = "~id";
    private const string KnownAuthors = "~author";
    private const string Flood = "~flood";
    private const string Duplicates = "~dup";
    private const string SentEmails = "~sent";
    private const string ReplyOptOuts = "~optout";

    private static readonly string[] PublicColumns =
        ["RowKey", nameof(CommentEntity.Thread), nameof(CommentEntity.ParentId), nameof(CommentEntity.Author),
         nameof(CommentEntity.Website), nameof(CommentEntity.Body), nameof(CommentEntity.CreatedAt)];
    private static readonly string[] CountColumns = [nameof(CommentEntity.Thread)];

    public TableClient Table { get; } = tables.GetTableClient(options.Value.CommentTable);

    /// <summary>Stores a comment once: a second delivery of the same comment changes nothing.</summary>
    /// <returns>False when the comment was already stored.</returns>
    public async Task<bool> AddOnceAsync(CommentEntity entity, CancellationToken cancellationToken)
    {
        // The id index first: a crash between the two writes leaves an index row pointing at
        // nothing (read as "no such comment"), never a comment the owner cannot reach by id.
        await Table.UpsertEntityAsync(new TableEntity(ById, entity.RowKey) { ["ThreadKey"] = entity.PartitionKey },
            TableUpdateMode.Replace, cancellationToken);
        return await TryAddAsync(entity, cancellationToken);
    }

    /// <summary>True when a comment with this id is stored in this thread.</summary>
    public async Task<bool> ExistsAsync(string thread, string id, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<CommentEntity>(
            ThreadKey.For(thread), id, [nameof(CommentEntity.Thread)], cancellationToken);
        return found.HasValue && found.Value!.Thread == thread;
    }

    /// <summary>A comment by its id alone, whatever its thread; null when there is none.</summary>
    public async Task<CommentEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!CommentId.IsWellFormed(id))
            return null;
        var index = await Table.GetEntityIfExistsAsync<TableEntity>(ById, id, cancellationToken: cancellationToken);
        if (!index.HasValue || index.Value!.GetString("ThreadKey") is not { } threadKey)
            return null;
        return await GetAsync(threadKey, id, cancellationToken);
    }

    /// <summary>A comment by its thread key and id; null when there is none.</summary>
    public async Task<CommentEntity?> GetAsync(string threadKey, string id, CancellationToken cancellationToken)
    {
        var comment = await Table.GetEntityIfExistsAsync<CommentEntity>(threadKey, id, cancellationToken: cancellationToken);
        return comment.HasValue ? comment.Value : null;
    }

    /// <summary>Claims the one sending of an email (comment, kind, recipient); false when it was claimed before.</summary>
    public Task<bool> TryClaimEmailAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken) =>
        TryAddAsync(new TableEntity(SentEmails, SentEmailKey(commentId, kind, recipient)), cancellationToken);

    /// <summary>Gives the claim back, for an email that was not sent after all and will be retried.</summary>
    public Task ReleaseEmailAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(SentEmails, SentEmailKey(commentId, kind, recipient), ETag.All, cancellationToken);

    /// <summary>Stops reply emails about one comment.</summary>
    public async Task UnsubscribeAsync(CommentEntity comment, CancellationToken cancellationToken)
    {
        if (!comment.NotifyOnReply)
            return;
        await Table.UpdateEntityAsync(new TableEntity(comment.PartitionKey, comment.RowKey) { [nameof(CommentEntity.NotifyOnReply)] = false },
            ETag.All, TableUpdateMode.Merge, cancellationToken);
        comment.NotifyOnReply = false;
    }

    /// <summary>Stops every reply email to this address from this site.</summary>
    public Task OptOutOfRepliesAsync(string email, CancellationToken cancellationToken) =>
        MarkAsync(ReplyOptOuts, EmailKey(email), cancellationToken);

    public Task<bool> HasOptedOutOfRepliesAsync(string email, CancellationToken cancellationToken) =>
        IsMarkedAsync(ReplyOptOuts, EmailKey(email), cancellationToken);

    /// <summary>Changes a comment's status, unless someone changed the comment meanwhile (then it throws 412).</summary>
    public Task UpdateStatusAsync(CommentEntity comment, string status, string reason, CancellationToken cancellationToken)
    {
        comment.Status = status;
        comment.Reasons = string.IsNullOrEmpty(comment.Reasons) ? reason : comment.Reasons + "\n" + reason;
        return Table.UpdateEntityAsync(comment, comment.ETag, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task DeleteAsync(CommentEntity comment, CancellationToken cancellationToken)
    {
        await Table.DeleteEntityAsync(comment.PartitionKey, comment.RowKey, ETag.All, cancellationToken);
        await Table.DeleteEntityAsync(ById, comment.RowKey, ETag.All, cancellationToken);
    }

    /// <summary>Comments with this status (optionally in one thread), newest first, a page at a
    /// time; <paramref name="after"/> is the last id of the previous page.</summary>
    public async Task<(List<CommentEntity> Page, string? Next)> ListAsync(string status, string? thread, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var filter = thread is null
            ? TableClient.CreateQueryFilter($"Status eq {status}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {ThreadKey.For(thread)} and Status eq {status}");
        if (after is not null)
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {after}");
        var all = new List<CommentEntity>();
        await foreach (var entity in Table.QueryAsync<CommentEntity>(filter, cancellationToken: cancellationToken))
        {
            if (thread is null || entity.Thread == thread)
                all.Add(entity);
        }
        // Ids sort by time, so newest first is descending id.
        var page = all.OrderByDescending(e => e.RowKey, StringComparer.Ordinal).Take(pageSize + 1).ToList();
        var next = page.Count > pageSize ? page[pageSize - 1].RowKey : null;
        return (page.Take(pageSize).ToList(), next);
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

    /// <summary>True when this email address has had a comment published on this site.</summary>
    public Task<bool> IsKnownAuthorAsync(string email, CancellationToken cancellationToken) =>
        IsMarkedAsync(KnownAuthors, EmailKey(email), cancellationToken);

    public Task MarkKnownAuthorAsync(string email, CancellationToken cancellationToken) =>
        MarkAsync(KnownAuthors, EmailKey(email), cancellationToken);

    /// <summary>
    /// Flood control shared by every instance: claims the right to post for each key (an IP, an
    /// email address) for <paramref name="window"/>. Returns how long to wait when a key posted
    /// too recently, or lost a race with a concurrent post; null when the post may go ahead.
    /// A key that never posted costs one insert; only a known key is read first.
    /// </summary>
    public async Task<TimeSpan?> ClaimFloodSlotAsync(IEnumerable<string> keys, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            var claim = new TableEntity(Flood, Hash(key)) { ["LastAt"] = now };
            if (await TryAddAsync(claim, cancellationToken))
                continue;
            var last = await Table.GetEntityIfExistsAsync<TableEntity>(Flood, claim.RowKey, cancellationToken: cancellationToken);
            var lastAt = last.HasValue ? last.Value!.GetDateTimeOffset("LastAt") : null;
            if (lastAt is not null && now - lastAt < window)
                return window - (now - lastAt.Value);
            try
            {
                // Conditional on what was read, so two instances cannot both take the same slot.
                if (last.HasValue)
                    await Table.UpdateEntityAsync(claim, last.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                else if (!await TryAddAsync(claim, cancellationToken))
                    return window;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return window;
            }
        }
        return null;
    }

    /// <summary>
    /// Records that this email posted this text in this thread (case of the email ignored), in
    /// one insert that fails when it was recorded before.
    /// </summary>
    /// <returns>False for a duplicate.</returns>
    public Task<bool> TryRememberAsync(CommentSubmission comment, CancellationToken cancellationToken) =>
        TryAddAsync(new TableEntity(Duplicates, Fingerprint(comment)), cancellationToken);

    /// <summary>Forgets <see cref="TryRememberAsync"/>, for a comment that was refused after all.</summary>
    public Task ForgetAsync(CommentSubmission comment, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(Duplicates, Fingerprint(comment), ETag.All, cancellationToken);

    private async Task<bool> TryAddAsync(ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "EntityAlreadyExists")
        {
            // Only "already there" means no; any other conflict (a table being deleted) is a failure to retry.
            return false;
        }
    }

    /// <summary>Erases the IP, user agent and referrer of comments older than <paramref name="cutoff"/>.</summary>
    /// <returns>How many comments were changed.</returns>
    public async Task<int> EraseClientDataAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var erased = 0;
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {cutoff} and ClientDataErased eq false");
        await foreach (var comment in Table.QueryAsync<CommentEntity>(filter, cancellationToken: cancellationToken))
        {
            var update = new TableEntity(comment.PartitionKey, comment.RowKey)
            {
                ["Ip"] = "", ["UserAgent"] = "", ["Referrer"] = "", ["ClientDataErased"] = true,
            };
            try
            {
                await Table.UpdateEntityAsync(update, comment.ETag, TableUpdateMode.Merge, cancellationToken);
                erased++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Deleted or changed meanwhile: the next run takes it.
            }
        }
        return erased;
    }

    /// <summary>One cheap request that fails when the table does not answer.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in Table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
            break;
    }

    private static string PublishedIn(string thread) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {ThreadKey.For(thread)} and Status eq {CommentStatus.Published}");

    private static string Fingerprint(CommentSubmission c) =>
        Hash(c.ThreadKey + "\n" + c.Email.ToLowerInvariant() + "\n" + c.Body);

    // Email addresses are compared without case, as mail providers do.
    private static string EmailKey(string email) => Hash(email.ToLowerInvariant());

    private static string SentEmailKey(string commentId, string kind, string recipient) =>
        Hash($"{commentId}\n{kind}\n{recipient.ToLowerInvariant()}");

    /// <summary>A row that means yes by being there (known author, opted out).</summary>
    private Task MarkAsync(string partition, string row, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(partition, row), TableUpdateMode.Replace, cancellationToken);

    private async Task<bool> IsMarkedAsync(string partition, string row, CancellationToken cancellationToken) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, ["RowKey"], cancellationToken)).HasValue;

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
