namespace ServerlessComments.Owner;

/// <summary>How many times something happened to a key within its window (failed key attempts,
/// sign-in emails sent), and when the window opened and the last one happened.</summary>
public sealed record AttemptCount(int Count, DateTimeOffset Since, DateTimeOffset LastAt);

/// <summary>Counters shared by every instance (keys arrive salted); every row is forgotten after its window.</summary>
public interface IAttemptCounters
{
    Task<AttemptCount?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Counts one more; a window older than <paramref name="window"/> starts again at one.
    /// Two instances counting at once both count.</summary>
    Task<AttemptCount> AddAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken);

    Task ResetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes counters last touched before <paramref name="before"/>; how many went.</summary>
    Task<int> ForgetOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>An open console session as the console lists it. <see cref="Handle"/> is a hash of the
/// session's id (the id itself stays in the signed cookie).</summary>
public sealed record SessionRecord(string Handle, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset ExpiresAt, string? UserAgent);

/// <summary>The owner's open sessions: a session is valid only while its row is there, so
/// removing rows signs out (one, or everywhere).</summary>
public interface IOwnerSessionStore
{
    Task AddAsync(SessionRecord session, CancellationToken cancellationToken);
    Task<SessionRecord?> FindAsync(string handle, CancellationToken cancellationToken);
    /// <summary>Records a use (last used, new expiry), only if the session is still there: never brings back one signed out.</summary>
    Task TouchAsync(SessionRecord session, CancellationToken cancellationToken);
    Task<IReadOnlyList<SessionRecord>> ListAsync(CancellationToken cancellationToken);
    Task RemoveAsync(string handle, CancellationToken cancellationToken);
    Task<int> RemoveAllAsync(CancellationToken cancellationToken);
    /// <summary>Deletes sessions expired before <paramref name="now"/>, and used one-time tokens (sign-in links) past their expiry.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
