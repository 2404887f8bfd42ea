using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Testing;
using ServerlessComments.Threads;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// Stores comments straight through the adapters (what the processor would have stored) into a
/// running host's table, and builds their views, so that big threads can be measured without
/// posting each comment through the pipeline.
/// </summary>
public sealed class StoredThreads
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TableCommentStore _store;
    private readonly ThreadViewUpdater _updater;
    private int _sequence;

    public StoredThreads(string storage, SelfHost host, int pageSize = 50)
    {
        var options = Options.Create(new StorageOptions { CommentTable = host.Table.Name, ThreadContainer = host.ThreadContainer });
        var table = new CommentTable(new TableServiceClient(storage), options);
        _store = new TableCommentStore(table);
        Views = new BlobThreadViews(new BlobServiceClient(storage), table, options);
        Counts = new BlobSiteCounts(new BlobServiceClient(storage), options);
        var threadOptions = Options.Create(new ThreadOptions { PageSize = pageSize });
        var siteCounts = new SiteCounts(Counts, Views, threadOptions, TimeProvider.System, NullLogger<SiteCounts>.Instance);
        _updater = new ThreadViewUpdater(_store, Views, threadOptions, NullLogger<ThreadViewUpdater>.Instance, siteCounts);
    }

    public BlobThreadViews Views { get; }

    /// <summary>The site's counts document, as the updater above keeps it.</summary>
    public BlobSiteCounts Counts { get; }

    /// <summary>Stores <paramref name="count"/> comments: a quarter top-level, each with three replies.</summary>
    public async Task AddAsync(string thread, int count, CommentStatus status = CommentStatus.Published)
    {
        var roots = new string[(count + 3) / 4];
        for (var r = 0; r < roots.Length; r++)
            roots[r] = CommentId.New(T0.AddSeconds(Interlocked.Increment(ref _sequence)));
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var isRoot = i % 4 == 0;
            var id = isRoot ? roots[i / 4] : CommentId.New(T0.AddSeconds(Interlocked.Increment(ref _sequence)));
            var (stored, _) = await _store.AddOnceAsync(new StoredComment
            {
                Id = id, Thread = thread, ParentId = isRoot ? null : roots[i / 4], Author = $"Reader {i}", Email = $"reader{i}@example.com",
                Website = "https://example.org/", Body = $"Comment {i}: « Merci pour cet article » — une réaction assez longue pour ressembler à un vrai commentaire. 😉",
                CreatedAt = T0.AddSeconds(i), Status = status, Reasons = ["benchmark"],
            }, ct);
            await _store.ReindexAsync(stored, ct, isNew: true); // listed for the owner, as the processor does
        });
        await _updater.RefreshAsync(thread, default);
    }

    /// <summary>The view of a thread as version 1 answered it: the partition's published rows,
    /// nested in memory, serialized.</summary>
    public static async Task<byte[]> Version1AnswerAsync(TableClient table, string thread)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ThreadKey.For(thread)} and Status eq {CommentStatus.Published}");
        var comments = new List<PublicComment>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Thread", "ParentId", "Author", "Website", "Body", "CreatedAt"]))
        {
            if (row.GetString("Thread") == thread)
                comments.Add(new PublicComment(row.RowKey, row.GetString("ParentId"), row.GetString("Author")!, row.GetString("Website"),
                    row.GetString("Body")!, row.GetDateTimeOffset("CreatedAt")!.Value.UtcDateTime));
        }
        var forest = CommentTree.Build(comments, int.MaxValue / 2);
        return JsonSerializer.SerializeToUtf8Bytes(new { thread, count = forest.Count, comments = forest.Roots }, CommentJson.Options);
    }

    /// <summary>A count as version 1 made it: every published row of the thread read.</summary>
    public static async Task<int> Version1CountAsync(TableClient table, string thread)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ThreadKey.For(thread)} and Status eq {CommentStatus.Published}");
        var n = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["Thread"]))
        {
            if (row.GetString("Thread") == thread)
                n++;
        }
        return n;
    }
}
