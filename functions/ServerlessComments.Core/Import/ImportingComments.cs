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
public sealed class ImportingComments(ICommentStore store, IAuthorRecords authors, ThreadViewUpdater views, OwnerRules ownerRules, ILogger<ImportingComments> logger)
{
    /// <summary>Comments written at once; the store batches them further by thread.</summary>
    public const int BatchSize = 1000;

    public static IAsyncEnumerable<SourceComment> Read(Stream file, string format, CancellationToken cancellationToken, Action<OwnerLists>? onOwnerLists = null) => format switch
    {
        ImportFormat.Wxr => WxrReader.ReadAsync(file, cancellationToken),
        ImportFormat.Disqus => DisqusReader.ReadAsync(file, cancellationToken),
        ImportFormat.Json => JsonExportReader.ReadAsync(file, cancellationToken, onOwnerLists),
        _ => throw new ArgumentException($"No import format '{format}': use {string.Join(", ", ImportFormat.All)}.", nameof(format)),
    };

    /// <param name="progress">Called after each batch, and as views are rebuilt, with the summary so far.</param>
    public async Task<ImportSummary> ImportAsync(Stream file, ImportOptions options, CancellationToken cancellationToken, Action<ImportSummary, string>? progress = null)
    {
        var summary = new ImportSummary { DryRun = options.DryRun };
        // Source key → (id, thread) of every comment taken, so replies find their parents.
        var taken = new Dictionary<string, (string Id, string Thread)>(StringComparer.Ordinal);
        var waiting = new List<MappedComment>();
        var batch = new List<StoredComment>(BatchSize);
        var threads = new HashSet<string>(StringComparer.Ordinal);
        var knownAuthors = new HashSet<(string, string)>();
        Task? writing = null;

        OwnerLists? lists = null;
        await foreach (var source in Read(file, options.Format, cancellationToken, l => lists = l))
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
                waiting.Add(mapped); // its parent may come later in the file
            threads.Add(mapped.Comment.Thread);
            if (batch.Count >= BatchSize)
            {
                // One batch is written while the next is read: the file's parsing and the
                // store's work overlap instead of taking turns.
                if (writing is not null)
                    await writing;
                progress?.Invoke(summary, "comments");
                writing = WriteAsync(batch, options, summary, knownAuthors, cancellationToken);
                batch = new List<StoredComment>(BatchSize);
            }
        }
        if (writing is not null)
            await writing;
        foreach (var reply in waiting)
            batch.Add(taken.TryGetValue(reply.SourceParentKey!, out var parent) ? Linked(reply, parent, summary) : Orphan(reply, summary));
        await WriteAsync(batch, options, summary, knownAuthors, cancellationToken);
        summary.Threads = threads.Count;
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
        return summary;
    }

    private static StoredComment Linked(MappedComment reply, (string Id, string Thread) parent, ImportSummary summary) =>
        parent.Thread == reply.Comment.Thread ? reply.Comment with { ParentId = parent.Id } : Orphan(reply, summary);

    private static StoredComment Orphan(MappedComment reply, ImportSummary summary)
    {
        summary.Orphans++;
        return reply.Comment with { ParentId = null };
    }

    private async Task WriteAsync(List<StoredComment> batch, ImportOptions options, ImportSummary summary,
        HashSet<(string, string)> knownAuthors, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return;
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
    }
}
