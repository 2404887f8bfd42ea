using Microsoft.Extensions.Logging;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Threads;

namespace ServerlessComments.Import;

/// <summary>
/// Bringing comments from WordPress, Disqus or this product's own export: the file is read a
/// comment at a time, each comment mapped by <see cref="ImportMapping"/>, stored once (a second
/// import of the same file, or of an overlapping one, finds them there and changes nothing),
/// listed for the owner, and at the end the public view of every touched thread is rebuilt. No
/// email is sent for an imported comment; the authors of published ones become known authors,
/// as if the owner had approved them here.
/// </summary>
/// <remarks>A file that fails half-way (a bad line, a lost connection) can simply be imported
/// again: what was stored is found and skipped, the rest is added.</remarks>
public sealed class ImportingComments(ICommentStore store, IAuthorRecords authors, ThreadViewUpdater views, OwnerRules ownerRules, ILogger<ImportingComments> logger,
    Faces.Avatars? avatars = null)
{
    /// <summary>Comments written at once; the store batches them further by thread.</summary>
    public const int BatchSize = 1000;

    /// <summary>Replies held until their parent is read, at most: a file that holds more (or more
    /// text than <see cref="MaxWaitingText"/>) before their parents is refused, not held in memory.</summary>
    public const int MaxWaiting = 10_000;
    /// <summary>The largest file an import over HTTP accepts (the <c>import</c> verb reads any size).</summary>
    public const long MaxFileBytes = 2L * 1024 * 1024 * 1024;
    public const int MaxWaitingText = 32 * 1024 * 1024;

    public static IAsyncEnumerable<SourceComment> Read(Stream file, string format, CancellationToken cancellationToken, Action<OwnerLists>? onOwnerLists = null,
        ImportSummary? report = null) => format switch
    {
        ImportFormat.Wxr => WxrReader.ReadAsync(file, cancellationToken, report),
        ImportFormat.Disqus => DisqusReader.ReadAsync(file, cancellationToken, report),
        ImportFormat.Json => JsonExportReader.ReadAsync(file, cancellationToken, onOwnerLists, report),
        _ => throw new ArgumentException($"No import format '{format}': use {string.Join(", ", ImportFormat.All)}.", nameof(format)),
    };

    /// <param name="progress">Called after each batch, and as views are rebuilt, with the summary so far.</param>
    /// <exception cref="ImportFileException">The file broke (its <see cref="ImportFileException.Summary"/>
    /// says what was stored): everything read before the fault is stored, replies whose parent came
    /// before it too, and the views of the touched threads are rebuilt.</exception>
    public async Task<ImportSummary> ImportAsync(Stream file, ImportOptions options, CancellationToken cancellationToken, Action<ImportSummary, string>? progress = null)
    {
        var summary = new ImportSummary { DryRun = options.DryRun };
        // Source key → (id, thread) of every comment taken, so replies find their parents.
        var taken = new Dictionary<string, (string Id, string Thread)>(StringComparer.Ordinal);
        var waiting = new List<MappedComment>();
        var waitingText = 0L;
        var batch = new List<StoredComment>(BatchSize);
        var threads = new HashSet<string>(StringComparer.Ordinal);
        var knownAuthors = new HashSet<(string, string)>();
        var pictured = new HashSet<string>(StringComparer.Ordinal);
        // JSON ids that name another thread's comment: refused, and their replies made top-level.
        var refused = new HashSet<string>(StringComparer.Ordinal);
        Task? writing = null;
        ImportFileException? fault = null;

        OwnerLists? lists = null;
        try
        {
            await foreach (var source in Read(file, options.Format, cancellationToken, l => lists = l, summary))
            {
                summary.Read++;
                var (mapped, skipped) = ImportMapping.Map(source, options);
                if (mapped is null)
                {
                    summary.Skip(skipped!);
                    continue;
                }
                if (!taken.TryAdd(mapped.SourceKey, (mapped.Comment.Id, mapped.Comment.Thread)))
                {
                    summary.Skip(SkipReason.Duplicate);
                    continue;
                }
                if (mapped.Truncated)
                    summary.Truncated++;
                if (mapped.SourceParentKey is null)
                    batch.Add(mapped.Comment);
                else if (taken.TryGetValue(mapped.SourceParentKey, out var parent))
                    batch.Add(Linked(mapped, parent, summary));
                else
                {
                    // Its parent may come later in the file.
                    waitingText += mapped.Comment.Body.Length;
                    if (waiting.Count == MaxWaiting || waitingText > MaxWaitingText)
                        throw new ImportFileException(source.Line, $"more than {MaxWaiting:N0} replies (or {MaxWaitingText / (1024 * 1024)} MB of them) come before the comments they answer: the file is refused rather than held in memory.");
                    waiting.Add(mapped);
                }
                threads.Add(mapped.Comment.Thread);
                if (batch.Count >= BatchSize)
                {
                    // One batch is written while the next is read: the file's parsing and the
                    // store's work overlap instead of taking turns.
                    if (writing is not null)
                        await writing;
                    progress?.Invoke(summary, "comments");
                    writing = WriteAsync(batch, options, summary, knownAuthors, pictured, refused, cancellationToken);
                    batch = new List<StoredComment>(BatchSize);
                }
            }
        }
        catch (ImportFileException e)
        {
            fault = e;
        }
        catch (IOException e)
        {
            // The body of a request cut short, or over its limit: the same as a truncated file.
            fault = new ImportFileException(0, "the file could not be read to its end: " + e.Message);
        }
        if (writing is not null)
            await writing;
        foreach (var reply in waiting)
        {
            if (taken.TryGetValue(reply.SourceParentKey!, out var parent))
                batch.Add(Linked(reply, parent, summary));
            else if (fault is null)
                batch.Add(Orphan(reply, summary));
            else
                summary.HeldBack++; // its parent may be after the fault: the fixed file's run stores it under it
        }
        await WriteAsync(batch, options, summary, knownAuthors, pictured, refused, cancellationToken);
        summary.Threads = threads.Count;
        summary.Fault = fault?.Message;
        progress?.Invoke(summary, "comments");

        if (!options.DryRun && lists is not null)
        {
            // Added to the owner's lists, not replacing them: importing twice changes nothing.
            var current = await ownerRules.CurrentAsync(cancellationToken);
            var (merged, _) = OwnerLists.Clean(new OwnerLists
            {
                BlockWords = [.. current.BlockWords, .. lists.BlockWords], HoldWords = [.. current.HoldWords, .. lists.HoldWords],
                BlockEmails = [.. current.BlockEmails, .. lists.BlockEmails], HoldEmails = [.. current.HoldEmails, .. lists.HoldEmails],
                BlockDomains = [.. current.BlockDomains, .. lists.BlockDomains], HoldDomains = [.. current.HoldDomains, .. lists.HoldDomains],
                BlockIps = [.. current.BlockIps, .. lists.BlockIps], HoldIps = [.. current.HoldIps, .. lists.HoldIps],
                SpamRetentionDays = current.SpamRetentionDays > 0 ? current.SpamRetentionDays : lists.SpamRetentionDays,
            });
            if (merged is not null)
                await ownerRules.SaveAsync(merged, cancellationToken);
            else
                logger.LogWarning("The file's owner lists were not imported: together with the current ones they break the lists' limits");
        }
        if (!options.DryRun)
        {
            progress?.Invoke(summary, "views");
            var done = 0;
            await Parallel.ForEachAsync(threads, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (thread, ct) =>
            {
                await views.RefreshAsync(thread, ct);
                if (Interlocked.Increment(ref done) % 50 == 0)
                    progress?.Invoke(summary, "views");
            });
        }
        logger.LogInformation("Import ({Format}): {Summary}", options.Format, summary.ToString());
        if (fault is not null)
        {
            fault.Summary = summary;
            throw fault;
        }
        return summary;
    }

    private static StoredComment Linked(MappedComment reply, (string Id, string Thread) parent, ImportSummary summary) =>
        parent.Thread == reply.Comment.Thread ? reply.Comment with { ParentId = parent.Id } : Orphan(reply, summary);

    private static StoredComment Orphan(MappedComment reply, ImportSummary summary) => Orphan(reply.Comment, summary);

    private static StoredComment Orphan(StoredComment reply, ImportSummary summary)
    {
        summary.Orphans++;
        return reply with { ParentId = null };
    }

    private async Task WriteAsync(List<StoredComment> batch, ImportOptions options, ImportSummary summary,
        HashSet<(string, string)> knownAuthors, HashSet<string> pictured, HashSet<string> refused, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return;
        if (options.Format == ImportFormat.Json)
        {
            // A JSON file names its ids: one that is another thread's comment must not take over
            // its id index and list rows (moderation would act on the imported one).
            var elsewhere = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (c, ct) =>
            {
                if (await store.FindAsync(c.Id, ct) is { } there && there.Thread != c.Thread)
                    elsewhere.Add(c.Id);
            });
            foreach (var id in elsewhere)
            {
                refused.Add(id);
                summary.Skip(SkipReason.IdElsewhere);
            }
            if (!elsewhere.IsEmpty)
                logger.LogWarning("Import: {Count} comment(s) of the file have the id of another thread's comment and were not imported", elsewhere.Count);
            batch = batch.Where(c => !refused.Contains(c.Id)).Select(c => c.ParentId is { } p && refused.Contains(p) ? Orphan(c, summary) : c).ToList();
            if (batch.Count == 0)
                return;
        }
        if (options.DryRun)
        {
            // Reads only: the summary says what a real run would add, and what is there already.
            var there = 0;
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (c, ct) =>
            {
                if (await store.ExistsAsync(c.Thread, c.Id, ct))
                    Interlocked.Increment(ref there);
            });
            summary.Imported += batch.Count - there;
            summary.AlreadyThere += there;
            return;
        }
        var added = await store.AddManyAsync(batch, cancellationToken);
        summary.Imported += added.Count;
        summary.AlreadyThere += batch.Count - added.Count;
        // Every published comment's author, added now or before (a first run cut short), once each.
        var newAuthors = batch.Where(c => c.IsPublished && c.Email.Length > 0 && !c.ByOwner && knownAuthors.Add((c.Email.ToLowerInvariant(), c.Author)))
            .Select(c => (c.Email, c.Author)).ToList();
        if (newAuthors.Count > 0)
            await authors.MarkKnownAuthorsAsync(newAuthors, cancellationToken);
        // Imported readers keep their Gravatar (when it is on), as a posted comment's author does: once an address.
        if (avatars is { On: true })
            foreach (var c in batch.Where(c => c.Status != CommentStatus.Spam && c.Email.Length > 0 && !c.ByOwner && pictured.Add(c.Email.Trim().ToLowerInvariant())))
                await avatars.RememberAsync(c, cancellationToken);
    }
}
