using System.Collections.Concurrent;
using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Reactions;

/// <summary>
/// Keeps a thread's reaction counts in step with its reaction rows, and publishes them beside the
/// thread's view as <c>reactions.json</c>. A like never touches the view's chunks or first pages:
/// its cost is a few small reads and writes whatever the thread's size. Counting the rows of the
/// changed targets (not adding one) makes a retry, a crash between the row and the tally, or two
/// instances at once come out exact: the tally is read before the rows and committed only if
/// unchanged, so the last commit counted after every change it could miss. Within one instance,
/// recounts of a thread are coalesced (as <see cref="ThreadViewUpdater"/> does for views): a storm
/// of likes costs a few commits, not one each.
/// </summary>
public sealed class ReactionTallies(IReactionStore store, IThreadViews views)
{
    /// <summary>The name of the document beside the view's first pages.</summary>
    public const string Document = "reactions";
    public const int MaxAttempts = 30;

    private sealed class Gate
    {
        public Task<ReactionCounts>? Running;
        public Task<ReactionCounts>? Queued;
        public HashSet<string>? QueuedTargets;
    }

    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Counts these targets again (after a change made before this call) and commits.</summary>
    public Task<ReactionCounts> RecountAsync(string threadKey, string target, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(threadKey, _ => new Gate());
        lock (gate)
        {
            if (gate.Running is null)
                return (gate.Running = RunAsync(gate, threadKey, null, [target])).WaitAsync(cancellationToken);
            if (gate.Queued is null)
            {
                gate.QueuedTargets = new HashSet<string>(StringComparer.Ordinal);
                gate.Queued = RunAsync(gate, threadKey, gate.Running, gate.QueuedTargets);
            }
            gate.QueuedTargets!.Add(target);
            return gate.Queued.WaitAsync(cancellationToken);
        }
    }

    private async Task<ReactionCounts> RunAsync(Gate gate, string threadKey, Task<ReactionCounts>? after, HashSet<string> targets)
    {
        if (after is not null)
        {
            try
            {
                await after;
            }
            catch
            {
                // Its own callers see its failure; this one is a fresh try.
            }
        }
        else
            await Task.Yield(); // let the caller's lock go before the work starts
        try
        {
            string[] changed;
            lock (gate)
                changed = targets.ToArray();
            // Shared by every caller: not cancelled by any one of them.
            return await CommitAsync(threadKey, async counts =>
            {
                var tallies = await Task.WhenAll(changed.Select(t => store.CountAsync(threadKey, t, CancellationToken.None)));
                foreach (var (target, count) in changed.Zip(tallies))
                    counts = counts.With(target, count);
                return counts;
            }, CancellationToken.None);
        }
        finally
        {
            lock (gate)
            {
                gate.Running = gate.Queued;
                gate.Queued = null;
                gate.QueuedTargets = null;
                if (gate.Running is null)
                    _gates.TryRemove(new KeyValuePair<string, Gate>(threadKey, gate));
            }
        }
    }

    /// <summary>Reads the tally, changes it, commits it if no one else did meanwhile (else again),
    /// then publishes it. Always commits, even unchanged: a writer that counted before a change and
    /// commits after it then fails, and counts again.</summary>
    public async Task<ReactionCounts> CommitAsync(string threadKey, Func<ReactionCounts, Task<ReactionCounts>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tally = await store.GetTallyAsync(threadKey, cancellationToken);
            var counts = await change(tally?.Counts ?? ReactionCounts.Empty);
            var next = new ReactionTally(counts, (tally?.Sequence ?? 0) + 1);
            if (await store.TryCommitTallyAsync(threadKey, tally, next, cancellationToken))
            {
                await views.PublishFirstPageAsync(threadKey, Document, next.Sequence, ToDocument(counts), cancellationToken);
                return counts;
            }
            if (attempt >= MaxAttempts)
                throw new InvalidOperationException($"The reactions of thread {threadKey} kept changing under {MaxAttempts} attempts to count them.");
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10 * Math.Min(attempt, 10))), cancellationToken);
        }
    }

    /// <summary>The counts as the widget reads them (likes, page, pinned).</summary>
    public static ViewDocument ToDocument(ReactionCounts counts) =>
        ViewDocument.Of(JsonSerializer.SerializeToUtf8Bytes(counts, CommentJson.Options));

    /// <summary>The published document, or an empty one.</summary>
    public async Task<ViewDocument> ReadAsync(string threadKey, string? ifNoneMatch, CancellationToken cancellationToken) =>
        await views.ReadFirstPageAsync(threadKey, Document, ifNoneMatch, cancellationToken) ?? ToDocument(ReactionCounts.Empty);
}
