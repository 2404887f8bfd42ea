using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ServerlessComments.Comments;

namespace ServerlessComments.Adapters.Tables;

/// <summary>
/// The stored comments in Azure Table Storage. Besides each comment's row in its thread's
/// partition, an <c>~id</c> row maps its id to its thread, and the owner's list keeps a copy
/// of it in the partition of its status, keyed so that newest comes first: a page of the list is
/// one query of one partition, however large the table grows.
/// </summary>
public sealed class TableCommentStore(CommentTable table) : ICommentStore
{
    private const string ById = "~id";
    private const string StatusPrefix = "~status-";
    private static readonly string[] Statuses = [.. CommentStatuses.All.Select(s => s.Word())];
    private static readonly string[] PublicColumns =
        ["RowKey", nameof(CommentEntity.Id), nameof(CommentEntity.Thread), nameof(CommentEntity.ParentId), nameof(CommentEntity.Author),
         nameof(CommentEntity.Website), nameof(CommentEntity.Body), nameof(CommentEntity.CreatedAt), nameof(CommentEntity.Status), nameof(CommentEntity.ByOwner),
         nameof(CommentEntity.EditedAt), nameof(CommentEntity.Deleted),
         // Only to derive the avatar id (a keyed hash) as the view is built; the view never holds it.
         nameof(CommentEntity.Email)];

    private TableClient Table => table.Client;

    public async Task<(StoredComment Comment, bool Added)> AddOnceAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        // The id index first: a crash between the writes leaves an index row pointing at nothing
        // (read as "no such comment"), never a comment the owner cannot reach by id.
        await Table.UpsertEntityAsync(new TableEntity(ById, comment.Id) { ["ThreadKey"] = comment.ThreadKey }, TableUpdateMode.Replace, cancellationToken);
        var entity = CommentEntity.From(comment with { Version = null });
        var added = await table.TryAddAsync(entity, cancellationToken);
        var stored = added ? entity.ToStored() : (await GetAsync(comment.Thread, comment.Id, cancellationToken))!;
        return (stored, added);
    }

    /// <summary>Batch transactions of up to 100 rows of one partition (the service's limit).</summary>
    private const int MaxBatch = 100;

    public async Task<IReadOnlySet<string>> AddManyAsync(IReadOnlyList<StoredComment> comments, CancellationToken cancellationToken)
    {
        // Which are there already: one range query per thread, not a read per comment.
        var fresh = new List<StoredComment>(comments.Count);
        foreach (var thread in comments.GroupBy(c => c.ThreadKey))
        {
            var ids = thread.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {thread.Key} and RowKey ge {ids[0]} and RowKey le {ids[^1]}");
            var present = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
                present.Add(row.RowKey);
            fresh.AddRange(thread.Where(c => !present.Contains(c.Id)).DistinctBy(c => c.Id));
        }

        // As AddOnceAsync: the id index first, then the owner's list, then the comment rows, so
        // that a crash leaves nothing a re-import would not complete (a listed comment without
        // its row reads as gone until then).
        await SubmitAsync(fresh.Select(c => (ITableEntity)new TableEntity(ById, c.Id) { ["ThreadKey"] = c.ThreadKey }), TableTransactionActionType.UpsertReplace, cancellationToken);
        await SubmitAsync(fresh.Select(c =>
        {
            var copy = CommentEntity.From(c with { Version = null });
            copy.PartitionKey = StatusPrefix + c.Status.Word();
            copy.RowKey = ListKey(c.Id);
            return (ITableEntity)copy;
        }), TableTransactionActionType.UpsertReplace, cancellationToken);

        var added = new HashSet<string>(StringComparer.Ordinal);
        var rows = fresh.Select(c => CommentEntity.From(c with { Version = null })).ToList();
        await Parallel.ForEachAsync(Chunks(rows), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            try
            {
                await Table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct);
                lock (added)
                    added.UnionWith(chunk.Select(e => e.RowKey));
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Someone stored one of them meanwhile: one by one, each only if absent.
                foreach (var entity in chunk)
                {
                    if (await table.TryAddAsync(entity, ct))
                        lock (added)
                            added.Add(entity.RowKey);
                }
            }
        });
        return added;
    }

    private async Task SubmitAsync(IEnumerable<ITableEntity> entities, TableTransactionActionType action, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(Chunks(entities), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chunk, ct) => await Table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(action, e)), ct));

    private static IEnumerable<List<T>> Chunks<T>(IEnumerable<T> entities) where T : ITableEntity =>
        entities.GroupBy(e => e.PartitionKey).SelectMany(p => p.Chunk(MaxBatch)).Select(c => c.ToList());

    public async Task<StoredComment?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!CommentId.IsWellFormed(id))
            return null;
        var index = await Table.GetEntityIfExistsAsync<TableEntity>(ById, id, cancellationToken: cancellationToken);
        if (!index.HasValue || index.Value!.GetString("ThreadKey") is not { } threadKey)
            return null;
        var found = await Table.GetEntityIfExistsAsync<CommentEntity>(threadKey, id, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value!.ToStored() : null;
    }

    public async Task<StoredComment?> GetAsync(string thread, string id, CancellationToken cancellationToken)
    {
        if (!CommentId.IsWellFormed(id))
            return null;
        var found = await Table.GetEntityIfExistsAsync<CommentEntity>(ThreadKey.For(thread), id, cancellationToken: cancellationToken);
        // The key is a hash; the stored thread is the truth.
        return found.HasValue && found.Value!.Thread == thread ? found.Value.ToStored() : null;
    }

    public async Task<bool> ExistsAsync(string thread, string id, CancellationToken cancellationToken)
    {
        var found = await Table.GetEntityIfExistsAsync<CommentEntity>(ThreadKey.For(thread), id, [nameof(CommentEntity.Thread)], cancellationToken);
        return found.HasValue && found.Value!.Thread == thread;
    }

    public async Task<StoredComment> SaveStatusAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        // No version: not read from the store (an owner's list copy), so nothing to be conditional on.
        if (comment.Version is null)
            throw new CommentChangedException(comment.Id);
        var entity = CommentEntity.From(comment);
        try
        {
            var response = await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new CommentChangedException(comment.Id);
        }
        var saved = entity.ToStored();
        await ReindexAsync(saved, cancellationToken);
        return saved;
    }

    public Task ReindexAsync(StoredComment comment, CancellationToken cancellationToken, bool isNew = false) =>
        IndexAsync(comment, removeOthers: !isNew, cancellationToken);

    private async Task IndexAsync(StoredComment comment, bool removeOthers, CancellationToken cancellationToken)
    {
        var row = ListKey(comment.Id);
        var copy = CommentEntity.From(comment with { Version = null });
        copy.PartitionKey = StatusPrefix + comment.Status.Word();
        copy.RowKey = row;
        await Table.UpsertEntityAsync(copy, TableUpdateMode.Replace, cancellationToken);
        foreach (var other in Statuses.Where(s => removeOthers && s != comment.Status.Word()))
            await DeleteIfExistsAsync(StatusPrefix + other, row, cancellationToken);
    }

    public async Task DeleteAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        await DeleteIfExistsAsync(comment.ThreadKey, comment.Id, cancellationToken);
        foreach (var status in Statuses)
            await DeleteIfExistsAsync(StatusPrefix + status, ListKey(comment.Id), cancellationToken);
        await DeleteIfExistsAsync(ById, comment.Id, cancellationToken);
    }

    public async Task SetNotifyOnReplyAsync(StoredComment comment, bool notify, CancellationToken cancellationToken)
    {
        if (comment.NotifyOnReply == notify)
            return;
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(comment.ThreadKey, comment.Id) { [nameof(CommentEntity.NotifyOnReply)] = notify },
                ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Deleted meanwhile: no reply emails to stop, and an update must not bring it back.
        }
    }

    public async Task<CommentPage> ListAsync(CommentStatus listed, string? thread, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var status = listed.Word();
        var page = new List<StoredComment>(pageSize + 1);
        if (thread is null)
        {
            // One partition, read in key order (newest first) and no further than one page.
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StatusPrefix + status}");
            if (after is not null)
                filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {ListKey(after)}");
            await foreach (var entity in Table.QueryAsync<CommentEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
            {
                page.Add(entity.ToStored() with { Version = null });
                if (page.Count > pageSize)
                    break;
            }
        }
        else
        {
            // One thread's partition: bounded by the thread, sorted here.
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ThreadKey.For(thread)} and Status eq {status}");
            var all = new List<StoredComment>();
            await foreach (var entity in Table.QueryAsync<CommentEntity>(filter, cancellationToken: cancellationToken))
            {
                if (entity.Thread == thread && (after is null || string.CompareOrdinal(entity.CommentId, after) < 0))
                    all.Add(entity.ToStored());
            }
            page.AddRange(all.OrderByDescending(c => c.Id, StringComparer.Ordinal).Take(pageSize + 1));
        }
        var next = page.Count > pageSize ? page[pageSize - 1].Id : null;
        return new CommentPage(page.Take(pageSize).ToList(), next);
    }

    public async IAsyncEnumerable<StoredComment> PublishedInAsync(string thread, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ThreadKey.For(thread)} and Status eq {CommentStatus.Published.Word()}");
        await foreach (var entity in Table.QueryAsync<CommentEntity>(filter, select: PublicColumns, cancellationToken: cancellationToken))
        {
            if (entity.Thread == thread)
                yield return entity.ToStored();
        }
    }

    public async IAsyncEnumerable<StoredComment> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Comment rows only: their partitions are thread keys, which never start with "~".
        await foreach (var entity in Table.QueryAsync<CommentEntity>(TableClient.CreateQueryFilter($"PartitionKey lt {"~"}"), cancellationToken: cancellationToken))
        {
            if (entity.PartitionKey.Length == ThreadKey.Length && !string.IsNullOrEmpty(entity.Status))
                yield return entity.ToStored();
        }
    }

    public async Task<int> EraseClientDataAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // The owner's list copies carry the same columns, so the same query erases them too.
        var erased = 0;
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {cutoff} and ClientDataErased eq false");
        await foreach (var row in Table.QueryAsync<CommentEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            var update = new TableEntity(row.PartitionKey, row.RowKey)
            {
                ["Ip"] = "", ["UserAgent"] = "", ["Referrer"] = "", ["ClientDataErased"] = true,
            };
            try
            {
                await Table.UpdateEntityAsync(update, row.ETag, TableUpdateMode.Merge, cancellationToken);
                if (row.PartitionKey.Length == ThreadKey.Length)
                    erased++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Deleted or changed meanwhile: the next run takes it.
            }
        }
        return erased;
    }

    /// <summary>The owner's list key: the id with each hex digit inverted, so that ascending key
    /// order (the table's) is newest first.</summary>
    internal static string ListKey(string id) =>
        string.Create(id.Length, id, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
                span[i] = "fedcba9876543210"[char.IsAsciiDigit(s[i]) ? s[i] - '0' : s[i] - 'a' + 10];
        });

    private async Task DeleteIfExistsAsync(string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
