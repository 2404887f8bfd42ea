using System.Collections.Concurrent;
using ServerlessComments.Owner;

namespace ServerlessComments.Tests.Core;

/// <summary>The owner's sessions in memory (the table adapter's twin for core tests).</summary>
public sealed class InMemoryOwnerSessionStore : IOwnerSessionStore
{
    public readonly ConcurrentDictionary<string, SessionRecord> Rows = new();

    public Task AddAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        Rows[session.Handle] = session;
        return Task.CompletedTask;
    }

    public Task<SessionRecord?> FindAsync(string handle, CancellationToken cancellationToken) => Task.FromResult(Rows.GetValueOrDefault(handle));

    public Task TouchAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        if (Rows.ContainsKey(session.Handle))
            Rows[session.Handle] = session;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SessionRecord>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SessionRecord>>(Rows.Values.ToList());

    public Task RemoveAsync(string handle, CancellationToken cancellationToken)
    {
        Rows.TryRemove(handle, out _);
        return Task.CompletedTask;
    }

    public Task<int> RemoveAllAsync(CancellationToken cancellationToken)
    {
        var count = Rows.Count;
        Rows.Clear();
        return Task.FromResult(count);
    }

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = Rows.Values.Where(s => s.ExpiresAt < now).ToList();
        foreach (var s in expired)
            Rows.TryRemove(s.Handle, out _);
        return Task.FromResult(expired.Count);
    }
}

public sealed class InMemoryAttemptCounters : IAttemptCounters
{
    public readonly ConcurrentDictionary<string, AttemptCount> Rows = new();

    public Task<AttemptCount?> ReadAsync(string key, CancellationToken cancellationToken) => Task.FromResult(Rows.GetValueOrDefault(key));

    public Task<AttemptCount> AddAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(Rows.AddOrUpdate(key, _ => new AttemptCount(1, now, now),
            (_, before) => now - before.Since >= window ? new AttemptCount(1, now, now) : before with { Count = before.Count + 1, LastAt = now }));

    public Task ResetAsync(string key, CancellationToken cancellationToken)
    {
        Rows.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public Task<int> ForgetOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var old = Rows.Where(r => r.Value.LastAt < before).ToList();
        foreach (var r in old)
            Rows.TryRemove(r.Key, out _);
        return Task.FromResult(old.Count);
    }
}
