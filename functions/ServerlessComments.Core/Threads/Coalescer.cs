namespace ServerlessComments.Threads;

/// <summary>
/// One run of a piece of work at a time, and at most one waiting behind it that takes every change
/// asked for meanwhile. A caller who arrives while a run goes on waits for that single next run,
/// which starts after their call and so sees their change: a burst of changes costs a few runs
/// instead of one each, and the runs of one instance never race each other. A null change stands
/// for everything (the run is given no list). The changes of a run that fails go to the next one,
/// whose callers may not know of them.
/// </summary>
internal sealed class Coalescer<TChange, TResult>(Func<IReadOnlyList<TChange>?, Task<TResult>> work) where TChange : class
{
    private sealed class Batch
    {
        public List<TChange>? Changes = [];

        public void Add(TChange? change)
        {
            if (change is null)
                Changes = null;
            else
                Changes?.Add(change);
        }

        public void AddAll(Batch other)
        {
            if (other.Changes is null)
                Changes = null;
            else
                Changes?.AddRange(other.Changes);
        }
    }

    private readonly Lock _lock = new();
    private Task<TResult>? _running;
    private Task<TResult>? _queued;
    private Batch? _next;

    /// <summary>Called under the lock when the last run ends with nothing waiting and nothing left
    /// over: the owner may forget this coalescer.</summary>
    public Action? Idle { get; init; }

    /// <summary>Runs the work with this change, or joins the run that will take it.</summary>
    public Task<TResult> RunAsync(TChange? change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _next ??= new Batch();
            _next.Add(change);
            if (_running is null)
                return (_running = RunAsync(after: null)).WaitAsync(cancellationToken);
            return (_queued ??= RunAsync(after: _running)).WaitAsync(cancellationToken);
        }
    }

    private async Task<TResult> RunAsync(Task<TResult>? after)
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
        Batch? batch;
        lock (_lock)
        {
            // Callers join the waiting run until it starts; it has started now.
            batch = _next;
            _next = null;
        }
        try
        {
            // Every caller of this run joined before the last one started, which took their
            // changes and succeeded: its answer is theirs.
            if (batch is null && after is not null)
                return await after;
            return await work((batch ?? new Batch()).Changes?.ToList());
        }
        catch
        {
            if (batch is not null)
            {
                lock (_lock)
                    (_next ??= new Batch()).AddAll(batch);
            }
            throw;
        }
        finally
        {
            lock (_lock)
            {
                _running = _queued;
                _queued = null;
                if (_running is null && _next is null)
                    Idle?.Invoke();
            }
        }
    }
}
