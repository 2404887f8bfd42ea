using Microsoft.Extensions.Logging;
using ServerlessComments.Comments;

namespace ServerlessComments.Threads;

/// <summary>
/// Builds every thread's view and the owner's list from the stored comments: for comments
/// stored before views existed (version 1), and after a change of page size or depth. One pass
/// over the store; idempotent, so it can be run again, or by two instances at once.
/// </summary>
public sealed class ViewRebuild(ICommentStore store, ThreadViewUpdater updater, ILogger<ViewRebuild> logger)
{
    public async Task<(int Comments, int Threads)> RunAsync(CancellationToken cancellationToken, Action<int, int>? progress = null)
    {
        var threads = new HashSet<string>(StringComparer.Ordinal);
        var comments = 0;
        await foreach (var comment in store.AllAsync(cancellationToken))
        {
            await store.ReindexAsync(comment, cancellationToken);
            threads.Add(comment.Thread);
            comments++;
        }
        var done = 0;
        foreach (var thread in threads)
        {
            await updater.RefreshAsync(thread, cancellationToken);
            progress?.Invoke(++done, threads.Count);
        }
        logger.LogInformation("Views rebuilt: {Comments} comments in {Threads} threads", comments, threads.Count);
        return (comments, threads.Count);
    }
}
