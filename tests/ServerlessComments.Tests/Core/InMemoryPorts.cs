using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

// In-memory implementations of the core's own ports, for testing its rules in-process. They
// keep each port's contract (conditional writes fail on a stale version, inserts fail on a
// repeat); the Azure adapters are tested against Azurite.

public sealed class InMemoryCommentStore : ICommentStore
{
    private readonly ConcurrentDictionary<string, StoredComment> _comments = new();
    private long _version;

    public IReadOnlyCollection<StoredComment> All => _comments.Values.ToList();
    /// <summary>How many times the published comments of a thread were read (view builds).</summary>
    public int PublishedReads;

    private StoredComment Stamp(StoredComment c) => c with { Version = Interlocked.Increment(ref _version).ToString() };

    public Task<(StoredComment Comment, bool Added)> AddOnceAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        var stamped = Stamp(comment);
        var stored = _comments.GetOrAdd(comment.Id, stamped);
        return Task.FromResult((stored, ReferenceEquals(stored, stamped)));
    }

    public Task<StoredComment?> FindAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_comments.GetValueOrDefault(id));

    public Task<StoredComment?> GetAsync(string thread, string id, CancellationToken cancellationToken) =>
        Task.FromResult(_comments.TryGetValue(id, out var c) && c.Thread == thread ? c : null);

    public Task<bool> ExistsAsync(string thread, string id, CancellationToken cancellationToken) =>
        Task.FromResult(_comments.TryGetValue(id, out var c) && c.Thread == thread);

    public Task<StoredComment> SaveStatusAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        var current = _comments.GetValueOrDefault(comment.Id) ?? throw new CommentChangedException(comment.Id);
        if (current.Version != comment.Version)
            throw new CommentChangedException(comment.Id);
        var saved = Stamp(comment);
        if (!_comments.TryUpdate(comment.Id, saved, current))
            throw new CommentChangedException(comment.Id);
        _listed[comment.Id] = saved.Status; // the table's save keeps the owner's list in step
        return Task.FromResult(saved);
    }

    /// <summary>The owner's list: the status each comment is listed under, once indexed (as the
    /// table's list partitions: a comment added is not listed until <see cref="ReindexAsync"/>).</summary>
    private readonly ConcurrentDictionary<string, CommentStatus> _listed = new();

    public Task ReindexAsync(StoredComment comment, CancellationToken cancellationToken, bool isNew = false)
    {
        _listed[comment.Id] = comment.Status;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        _comments.TryRemove(comment.Id, out _);
        _listed.TryRemove(comment.Id, out _);
        return Task.CompletedTask;
    }

    public Task SetNotifyOnReplyAsync(StoredComment comment, bool notify, CancellationToken cancellationToken)
    {
        // Only a comment that is there: a deleted one stays deleted.
        while (_comments.TryGetValue(comment.Id, out var current) && !_comments.TryUpdate(comment.Id, Stamp(current with { NotifyOnReply = notify }), current))
        {
        }
        return Task.CompletedTask;
    }

    public Task<CommentPage> ListAsync(CommentStatus status, string? thread, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var page = _comments.Values.Where(c => (thread is null ? _listed.TryGetValue(c.Id, out var listed) && listed == status : c.Status == status && c.Thread == thread)
                                               && (after is null || string.CompareOrdinal(c.Id, after) < 0))
            .OrderByDescending(c => c.Id, StringComparer.Ordinal).Take(pageSize + 1).ToList();
        return Task.FromResult(new CommentPage(page.Take(pageSize).ToList(), page.Count > pageSize ? page[pageSize - 1].Id : null));
    }

    /// <summary>Runs after the published comments were read, before they are handed out: lets a
    /// test stall a writer holding a view of the thread that is about to go stale.</summary>
    public Func<Task>? AfterPublishedRead;

    public async IAsyncEnumerable<StoredComment> PublishedInAsync(string thread, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref PublishedReads);
        var snapshot = _comments.Values.Where(c => c.Thread == thread && c.IsPublished).ToList();
        if (AfterPublishedRead is { } hook)
            await hook();
        foreach (var c in snapshot)
            yield return c;
    }

    public async IAsyncEnumerable<StoredComment> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var c in _comments.Values.ToList())
            yield return c;
    }

    public Task<int> EraseClientDataAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var erased = 0;
        foreach (var c in _comments.Values.Where(c => c.CreatedAt < cutoff && (c.Ip ?? c.UserAgent ?? c.Referrer) is not null).ToList())
        {
            _comments[c.Id] = Stamp(c with { Ip = null, UserAgent = null, Referrer = null });
            erased++;
        }
        return Task.FromResult(erased);
    }

}

public sealed class InMemoryAuthorRecords : IAuthorRecords
{
    public readonly ConcurrentDictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase);
    public readonly ConcurrentDictionary<string, bool> OptedOut = new(StringComparer.OrdinalIgnoreCase);
    public Task<bool> IsKnownAuthorAsync(string email, string author, CancellationToken cancellationToken) =>
        Task.FromResult(Known.TryGetValue(email, out var name) && string.Equals(name.Trim(), author.Trim(), StringComparison.OrdinalIgnoreCase));
    public Task MarkKnownAuthorAsync(string email, string author, CancellationToken cancellationToken) { Known[email] = author; return Task.CompletedTask; }
    public Task ForgetKnownAuthorAsync(string email, CancellationToken cancellationToken) { Known.TryRemove(email, out _); return Task.CompletedTask; }
    public Task<bool> HasOptedOutOfRepliesAsync(string email, CancellationToken cancellationToken) => Task.FromResult(OptedOut.ContainsKey(email));
    public Task OptOutOfRepliesAsync(string email, CancellationToken cancellationToken) { OptedOut[email] = true; return Task.CompletedTask; }
    public Task ForgetOptOutAsync(string email, CancellationToken cancellationToken) { OptedOut.TryRemove(email, out _); return Task.CompletedTask; }
    public Task ForgetConfirmationAsync(string email, CancellationToken cancellationToken) { Confirmed.TryRemove(email, out _); return Task.CompletedTask; }
    public readonly ConcurrentDictionary<string, bool> Confirmed = new(StringComparer.OrdinalIgnoreCase);
    public Task<bool> HasConfirmedRepliesAsync(string email, CancellationToken cancellationToken) => Task.FromResult(Confirmed.ContainsKey(email));
    public Task ConfirmRepliesAsync(string email, CancellationToken cancellationToken) { Confirmed[email] = true; OptedOut.TryRemove(email, out _); return Task.CompletedTask; }
}

public sealed class InMemoryErasures : PersonalData.IErasures
{
    public readonly ConcurrentDictionary<string, DateTimeOffset> Tombstones = new();
    public Task RememberAsync(string key, DateTimeOffset erasedAt, CancellationToken cancellationToken) { Tombstones[key] = erasedAt; return Task.CompletedTask; }
    public Task<DateTimeOffset?> ErasedAtAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(Tombstones.TryGetValue(key, out var at) ? at : (DateTimeOffset?)null);
}

public sealed class InMemoryOwnerSettings : IOwnerSettings
{
    public OwnerLists Lists { get; set; } = OwnerLists.Empty;
    public int Reads;
    public Task<OwnerLists> GetListsAsync(CancellationToken cancellationToken) { Interlocked.Increment(ref Reads); return Task.FromResult(Lists); }
    public Task SaveListsAsync(OwnerLists lists, CancellationToken cancellationToken) { Lists = lists; return Task.CompletedTask; }
}

public sealed class InMemoryOwnerTokens : IOwnerTokens
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new();
    public Task<bool> TryUseOnceAsync(string kind, string id, DateTimeOffset expires, CancellationToken cancellationToken) => Task.FromResult(_used.TryAdd(kind + "/" + id, expires));
    public Task<bool> IsUsedAsync(string kind, string id, CancellationToken cancellationToken) => Task.FromResult(_used.ContainsKey(kind + "/" + id));
}

public sealed class InMemoryAcceptGuards : IAcceptGuards
{
    public readonly ConcurrentDictionary<string, GuardMark> Marks = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new();
    public bool Down { get; set; }

    public Task<GuardMark?> TryRememberAsync(string fingerprint, GuardMark mark, CancellationToken cancellationToken)
    {
        if (Down)
            throw new IOException("guard storage down");
        var stored = Marks.GetOrAdd(fingerprint, mark);
        return Task.FromResult(ReferenceEquals(stored, mark) ? null : stored);
    }

    public Task<GuardMark?> FindAsync(string fingerprint, CancellationToken cancellationToken) =>
        Down ? throw new IOException("guard storage down") : Task.FromResult(Marks.GetValueOrDefault(fingerprint));

    public Task<TimeSpan?> ClaimFloodSlotAsync(IReadOnlyList<string> keys, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            if (_last.TryGetValue(key, out var last) && now - last < window)
                return Task.FromResult<TimeSpan?>(window - (now - last));
            _last[key] = now;
        }
        return Task.FromResult<TimeSpan?>(null);
    }

    public IReadOnlyCollection<string> FloodKeys => _last.Keys.ToList();

    public Task ForgetAsync(IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<string> floodKeys, CancellationToken cancellationToken)
    {
        foreach (var f in fingerprints)
            Marks.TryRemove(f, out _);
        foreach (var k in floodKeys)
            _last.TryRemove(k, out _);
        return Task.CompletedTask;
    }

    public Task<int> ForgetOlderThanAsync(DateTimeOffset duplicatesBefore, DateTimeOffset floodsBefore, CancellationToken cancellationToken)
    {
        var n = 0;
        foreach (var (key, mark) in Marks.ToList())
            if (mark.At < duplicatesBefore && Marks.TryRemove(key, out _)) n++;
        foreach (var (key, at) in _last.ToList())
            if (at < floodsBefore && _last.TryRemove(key, out _)) n++;
        return Task.FromResult(n);
    }
}

public sealed class InMemoryUsedChallenges : IUsedChallenges
{
    public sealed record Row(string UsedFor, DateTimeOffset Expires);
    public readonly ConcurrentDictionary<string, Row> Rows = new();

    public Task<string?> TryUseAsync(string id, string usedFor, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var row = new Row(usedFor, expires);
        var stored = Rows.GetOrAdd(id, row);
        return Task.FromResult(ReferenceEquals(stored, row) ? null : stored.UsedFor);
    }

    public Task<int> ForgetExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var n = 0;
        foreach (var (key, row) in Rows.ToList())
            if (row.Expires < now && Rows.TryRemove(key, out _)) n++;
        return Task.FromResult(n);
    }
}

public sealed class InMemoryJobQueue : IJobQueue
{
    public readonly ConcurrentQueue<(CommentSubmission Comment, TimeSpan? Delay)> Comments = new();
    public readonly ConcurrentQueue<(NotificationJob Job, TimeSpan? Delay)> Emails = new();
    public bool Down { get; set; }

    public Task EnqueueCommentAsync(CommentSubmission comment, TimeSpan? delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Down)
            throw new IOException("queue down");
        Comments.Enqueue((comment, delay));
        // The host dying right after the message is on the queue, before anyone hears of it.
        if (DieAfterNextEnqueue)
        {
            DieAfterNextEnqueue = false;
            throw new OperationCanceledException("the host died after queueing");
        }
        return Task.CompletedTask;
    }

    public bool DieAfterNextEnqueue { get; set; }

    public Task EnqueueEmailAsync(NotificationJob job, TimeSpan? delay, CancellationToken cancellationToken)
    {
        Emails.Enqueue((job, delay));
        return Task.CompletedTask;
    }

    /// <summary>Emails set aside as failed (the poison queue's stand-in).</summary>
    public ConcurrentQueue<NotificationJob> ParkedEmails { get; } = new();

    public Task ParkEmailAsync(NotificationJob job, CancellationToken cancellationToken)
    {
        ParkedEmails.Enqueue(job);
        return Task.CompletedTask;
    }

    public Task<CommentSubmission> ReadCommentAsync(string message, CancellationToken cancellationToken) =>
        Task.FromResult(Processing.CommentProcessing.Parse(message));

    public readonly ConcurrentQueue<string> Completed = new();

    public Task CompleteCommentAsync(CommentSubmission comment, CancellationToken cancellationToken)
    {
        Completed.Enqueue(comment.Id);
        return Task.CompletedTask;
    }

    public Task<int> ForgetCommentsAsync(string email, CancellationToken cancellationToken)
    {
        var all = new List<(CommentSubmission Comment, TimeSpan? Delay)>();
        while (Comments.TryDequeue(out var item))
            all.Add(item);
        var forgotten = 0;
        foreach (var item in all)
        {
            if (string.Equals(item.Comment.Email.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
                forgotten++;
            else
                Comments.Enqueue(item);
        }
        return Task.FromResult(forgotten);
    }
}

/// <summary>A spam service that answers what the test scripts, and records what it was asked.</summary>
public sealed class ScriptedSpamService : ISpamService
{
    public bool IsConfigured { get; set; } = true;
    public Func<SpamCheck, SpamAnswer> Answer { get; set; } = _ => SpamAnswer.Ham;
    /// <summary>The service is down: it answers Unavailable, as the real client does on an error.</summary>
    public bool Down { get; set; }
    public readonly ConcurrentQueue<SpamCheck> Checked = new();
    public readonly ConcurrentQueue<(SpamCheck Comment, bool IsSpam)> Submitted = new();

    public Task<(SpamAnswer Answer, string Detail)> CheckAsync(SpamCheck comment, CancellationToken cancellationToken)
    {
        Checked.Enqueue(comment);
        var answer = Down ? SpamAnswer.Unavailable : Answer(comment);
        return Task.FromResult((answer, "scripted: " + answer));
    }

    public Task<bool> SubmitAsync(SpamCheck comment, bool isSpam, CancellationToken cancellationToken)
    {
        Submitted.Enqueue((comment, isSpam));
        return Task.FromResult(true);
    }

    public Task<string> VerifyKeyAsync(CancellationToken cancellationToken) => Task.FromResult(Down ? "unavailable" : "valid");
}

/// <summary>The view store, with the same conditional-write contract as the blob adapter, and a
/// count of reads so tests can see what a page view costs.</summary>
public sealed class InMemoryThreadViews : IThreadViews
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ViewState> _states = new();
    // Which thread each state is for: a key is a hash, so the count checks the thread (as the table does).
    private readonly Dictionary<string, string> _threads = new();
    private readonly Dictionary<string, (long Sequence, ViewDocument Page)> _firstPages = new();
    public readonly ConcurrentDictionary<string, byte[]> Chunks = new();
    private long _version;
    public int Reads;
    public int Commits;
    public int ChunkWrites;

    public Task<ViewState?> GetStateAsync(string threadKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        lock (_gate)
            return Task.FromResult(_states.GetValueOrDefault(threadKey));
    }

    public Task SaveChunkAsync(string threadKey, string hash, byte[] json, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ChunkWrites);
        Chunks[threadKey + "/" + hash] = json;
        return Task.CompletedTask;
    }

    public Task<bool> TryCommitAsync(string threadKey, string thread, ViewState? expected, ViewState next, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _states.GetValueOrDefault(threadKey);
            if (current?.Version != expected?.Version)
                return Task.FromResult(false);
            _states[threadKey] = next with { Version = (++_version).ToString() };
            _threads[threadKey] = thread;
            Commits++;
            return Task.FromResult(true);
        }
    }

    public Task PublishFirstPageAsync(string threadKey, string order, long sequence, ViewDocument page, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = threadKey + "/" + order;
            if (!_firstPages.TryGetValue(key, out var current) || current.Sequence < sequence)
                _firstPages[key] = (sequence, page);
        }
        return Task.CompletedTask;
    }

    public Task DeleteChunkAsync(string threadKey, string hash, CancellationToken cancellationToken)
    {
        Chunks.TryRemove(threadKey + "/" + hash, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ChunkHashesAsync(string threadKey, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Chunks.Keys.Where(k => k.StartsWith(threadKey + "/", StringComparison.Ordinal)).Select(k => k[(threadKey.Length + 1)..]).ToList());

    public Task<ViewDocument?> ReadFirstPageAsync(string threadKey, string order, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        lock (_gate)
        {
            if (!_firstPages.TryGetValue(threadKey + "/" + order, out var page))
                return Task.FromResult<ViewDocument?>(null);
            return Task.FromResult<ViewDocument?>(page.Page.ETag == ifNoneMatch ? page.Page with { Json = [] } : page.Page);
        }
    }

    public Task<byte[]?> ReadChunkAsync(string threadKey, string hash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        return Task.FromResult(Chunks.GetValueOrDefault(threadKey + "/" + hash));
    }

    public Task<int> CountAsync(string threadKey, string thread, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        lock (_gate)
            return Task.FromResult(_threads.GetValueOrDefault(threadKey) == thread ? _states.GetValueOrDefault(threadKey)?.Count ?? 0 : 0);
    }
}

/// <summary>The site's counts document, with the blob adapter's conditional-write contract, counts
/// of reads and writes, and a hook run between a read and the next write (to interleave writers).</summary>
public sealed class InMemorySiteCounts : ISiteCounts
{
    private readonly Lock _gate = new();
    private ViewDocument? _stored;
    public int Reads;
    public int Writes;
    public Func<Task>? BeforeWrite;

    public byte[]? Json { get { lock (_gate) return _stored?.Json; } }

    public Task<ViewDocument?> ReadAsync(string? ifNoneMatch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        lock (_gate)
            return Task.FromResult(_stored is { } d && d.ETag == ifNoneMatch ? d with { Json = [] } : _stored);
    }

    public async Task<bool> TryWriteAsync(byte[] json, string? expectedETag, CancellationToken cancellationToken)
    {
        if (BeforeWrite is { } hook)
            await hook();
        lock (_gate)
        {
            if (_stored?.ETag != expectedETag)
                return false;
            // A fresh validator per write, as a blob's, even for the same bytes.
            _stored = new ViewDocument(json, "\"" + Interlocked.Increment(ref Writes) + "\"");
            return true;
        }
    }
}

public sealed class InMemoryEmailLedger(TimeProvider clock) : IEmailLedger
{
    public readonly ConcurrentDictionary<string, (bool Sent, DateTimeOffset LeaseUntil)> Claims = new();
    private static string Key(string commentId, string kind, string recipient) => $"{commentId}/{kind}/{recipient.ToLowerInvariant()}";

    public Task<EmailClaim> TryClaimAsync(string commentId, string kind, string recipient, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (Claims)
        {
            var key = Key(commentId, kind, recipient);
            if (Claims.TryGetValue(key, out var claim) && (claim.Sent || claim.LeaseUntil > clock.GetUtcNow()))
                return Task.FromResult(claim.Sent ? EmailClaim.AlreadySent : EmailClaim.InFlight);
            Claims[key] = (false, clock.GetUtcNow() + lease);
            return Task.FromResult(EmailClaim.Claimed);
        }
    }

    public Task MarkSentAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken)
    {
        Claims[Key(commentId, kind, recipient)] = (true, default);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken)
    {
        Claims.TryRemove(Key(commentId, kind, recipient), out _);
        return Task.CompletedTask;
    }

    public Task<int> ForgetRecipientAsync(string recipient, CancellationToken cancellationToken)
    {
        var mine = Claims.Keys.Where(k => k.EndsWith("/" + recipient.Trim().ToLowerInvariant(), StringComparison.Ordinal)).ToList();
        foreach (var key in mine)
            Claims.TryRemove(key, out _);
        return Task.FromResult(mine.Count);
    }
}

/// <summary>The digest's waiting comments, with the same take-once rule as the table's conditional writes.</summary>
public sealed class InMemoryHeldDigest : IHeldDigest
{
    public readonly ConcurrentDictionary<string, long?> Rows = new();

    public Task AddAsync(string commentId, CancellationToken cancellationToken)
    {
        Rows.TryAdd(commentId, null);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> TakeAsync(long period, CancellationToken cancellationToken)
    {
        foreach (var (id, of) in Rows)
        {
            if (of is null)
                Rows.TryUpdate(id, period, null);
        }
        return TakenAsync(period, cancellationToken);
    }

    public Task<IReadOnlyList<string>> TakenAsync(long period, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Rows.Where(r => r.Value == period).Select(r => r.Key).ToList());

    public Task<bool> AnyWaitingAsync(CancellationToken cancellationToken) => Task.FromResult(Rows.Values.Any(v => v is null));

    public Task ForgetAsync(IReadOnlyCollection<string> commentIds, CancellationToken cancellationToken)
    {
        foreach (var id in commentIds)
            Rows.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}

/// <summary>An email service that takes every email (or fails, when told to) and keeps them.</summary>
public sealed class RecordingEmailSender : IEmailSender
{
    public string Kind => "recording";
    public readonly ConcurrentQueue<Email> Sent = new();
    public Func<Email, SendResult>? Answer { get; set; }

    public Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken)
    {
        var result = Answer?.Invoke(email) ?? SendResult.Ok;
        if (result.Sent)
            Sent.Enqueue(email);
        return Task.FromResult(result);
    }
}

/// <summary>The core's services over in-memory ports, as AddCommentServices wires them.</summary>
public sealed class CoreWorld
{
    public readonly InMemoryCommentStore Store = new();
    public readonly InMemoryAuthorRecords Authors = new();
    public readonly InMemoryAcceptGuards Guards = new();
    public readonly InMemoryJobQueue Jobs = new();
    public readonly ScriptedSpamService Spam = new() { IsConfigured = false };
    public readonly InMemoryThreadViews Views = new();
    public readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    public readonly RecordingEmailSender Mail = new();
    public InMemoryEmailLedger Ledger { get; }
    public readonly InMemoryHeldDigest Digest = new();

    /// <summary>The meter factory and metrics every service of this world shares, so that a
    /// MetricCollector over <see cref="Meters"/> sees them all.</summary>
    public readonly TestMeterFactory Meters = new();
    public Telemetry.CommentMetrics Metrics { get; }

    public CoreWorld()
    {
        Ledger = new InMemoryEmailLedger(Clock);
        Metrics = new Telemetry.CommentMetrics(Meters);
    }
    public SpamOptions SpamSettings { get; } = new() { FloodSeconds = 0 };
    public ModerationOptions ModerationSettings { get; } = new() { Mode = "none" };
    public SpamRetryOptions RetrySettings { get; } = new();
    public ThreadOptions ThreadSettings { get; } = new();
    public NotificationOptions NotificationSettings { get; } = new() { OwnerEmail = "owner@blog.example.com", LinkSecret = new string('k', 40) };

    public readonly InMemorySiteCounts CountsDocument = new();
    /// <summary>One per world, as a host has one: it coalesces writes and keeps what it read.</summary>
    public SiteCounts SiteCounts => _siteCounts ??= new(CountsDocument, Views, Options.Create(ThreadSettings), Clock, NullLogger<SiteCounts>.Instance);
    private SiteCounts? _siteCounts;
    public ThreadViewUpdater Updater => new(Store, Views, Options.Create(ThreadSettings), NullLogger<ThreadViewUpdater>.Instance, SiteCounts);
    public ThreadReading Reading => new(Views, SiteCounts, Options.Create(ThreadSettings));
    public Export.SiteExport Export => new(Store, OwnerSettings);
    public readonly InMemoryErasures Erasures = new();
    public PersonalData.ErasedAddresses Erased => new(Erasures, new GuardKeys(Options.Create(NotificationSettings)));
    public PersonalData.PersonalDataRequests PersonalData => new(Store, Authors, Guards, new GuardKeys(Options.Create(NotificationSettings)), Updater,
        Jobs, Erased, OwnerRules, Ledger, Clock, NullLogger<PersonalData.PersonalDataRequests>.Instance, Learning, Placeholders);
    public Editing.Placeholders Placeholders => new(Store, Updater, NullLogger<Editing.Placeholders>.Instance);
    public Import.ImportingComments Importing => new(Store, Authors, Updater, OwnerRules, NullLogger<Import.ImportingComments>.Instance);
    public CommentAcceptance Acceptance => new(Store, Guards, Jobs, Options.Create(SpamSettings), new GuardKeys(Options.Create(NotificationSettings)), Clock, Metrics, NullLogger<CommentAcceptance>.Instance,
        Challenges);
    public readonly InMemoryUsedChallenges UsedChallenges = new();
    /// <summary>Off here, unlike the product's default: the core's other tests post as readers without
    /// solving anything; the challenge's own tests turn it on.</summary>
    public ChallengeOptions ChallengeSettings { get; } = new() { On = false, MaxNumber = 1_000 };
    public Challenges Challenges => new(UsedChallenges, new LinkSigner(Options.Create(NotificationSettings), NullLogger<LinkSigner>.Instance), Options.Create(ChallengeSettings), Clock);
    public Processing.PrivacyJanitor Janitor => new(Store, Guards, Clock, Options.Create(new Processing.PrivacyOptions()), NullLogger<Processing.PrivacyJanitor>.Instance);
    public readonly InMemoryOwnerSettings OwnerSettings = new();
    public OwnerRules OwnerRules => _ownerRules ??= new OwnerRules(OwnerSettings, Clock);
    private OwnerRules? _ownerRules;
    public ModerationPipeline Moderation => new(Options.Create(SpamSettings), Options.Create(ModerationSettings), Options.Create(RetrySettings), Spam, Authors, OwnerRules, new OwnerIdentity(Options.Create(NotificationSettings)), Filter);
    /// <summary>Off here, so that the rules other tests pin are not second-guessed by the filter's
    /// corpus; SpamFilterTests turn it on (installs have it on).</summary>
    public Moderation.Filter.SpamFilterOptions FilterSettings { get; } = new() { Filter = false };
    public readonly InMemorySpamLearning Learning = new();
    /// <summary>One per world, as a host has one: it keeps the model it read.</summary>
    public Moderation.Filter.SpamFilter Filter => _filter ??= new(Learning, Options.Create(FilterSettings), Clock, NullLogger<Moderation.Filter.SpamFilter>.Instance,
        new GuardKeys(Options.Create(NotificationSettings)));
    private Moderation.Filter.SpamFilter? _filter;
    public Processing.CommentProcessing Processing => new(Moderation, Store, Authors, Jobs, Updater,
        new DuplicateMarks(Guards, new GuardKeys(Options.Create(NotificationSettings)), Options.Create(SpamSettings), Clock), Options.Create(NotificationSettings),
        NullLogger<Processing.CommentProcessing>.Instance, Metrics, Clock, Erased);
    public NotificationDelivery Delivery
    {
        get
        {
            var options = Options.Create(NotificationSettings);
            var composer = new EmailComposer(options, new LinkSigner(options, NullLogger<LinkSigner>.Instance), Clock);
            return new NotificationDelivery(Store, Authors, Ledger, Jobs, composer, Mail, Digest, options, Metrics, Clock, NullLogger<NotificationDelivery>.Instance);
        }
    }

    /// <summary>Sends every queued email job, as the notification trigger would.</summary>
    public async Task SendEmailsAsync()
    {
        for (var queued = Jobs.Emails.Count; queued > 0 && Jobs.Emails.TryDequeue(out var job); queued--)
            await Delivery.SendAsync(System.Text.Json.JsonSerializer.Serialize(job.Job, CommentJson.Options), default);
    }

    public Owner.OwnerDecisions Owner => new(Store, Authors, Spam, Jobs, Updater, NullLogger<Owner.OwnerDecisions>.Instance, Filter, Placeholders);

    /// <summary>Accepts a form as a reader would, then processes every queued comment, as the queue trigger would.</summary>
    public async Task<AcceptOutcome> PostAsync(CommentForm form, ClientInfo? client = null)
    {
        var outcome = await Acceptance.AcceptAsync(form, client ?? new ClientInfo("198.51.100.7", "Browser/1", null), CommentSource.Reader, default);
        await DrainAsync();
        return outcome;
    }

    /// <summary>Processes what is queued now (put-off comments included, their delay skipped).</summary>
    public async Task DrainAsync()
    {
        for (var queued = Jobs.Comments.Count; queued > 0 && Jobs.Comments.TryDequeue(out var job); queued--)
            await Processing.ProcessAsync(System.Text.Json.JsonSerializer.Serialize(job.Comment, CommentJson.Options), default);
    }

    public static CommentForm Form(string thread = "/post/", string body = "Bonjour", string author = "Ann", string email = "ann@example.com",
        string? parentId = null, string? website = null, string? hp = null) =>
        new() { Thread = thread, Body = body, Author = author, Email = email, ParentId = parentId, Website = website, Hp = hp, PageUrl = "https://blog.example.com" + thread };

    public static string Id(AcceptOutcome outcome) => Assert.IsType<AcceptOutcome.Accepted>(outcome).Comment.Id;
}

public sealed class InMemorySpamLearning : Moderation.Filter.ISpamLearning
{
    private readonly ConcurrentDictionary<string, Moderation.Filter.SpamExample> _examples = new();
    private Moderation.Filter.StoredSpamModel? _model;
    private int _version;

    public Task SaveExampleAsync(Moderation.Filter.SpamExample example, CancellationToken cancellationToken)
    {
        _examples[example.CommentId] = example;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Moderation.Filter.SpamExample>> ListExamplesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Moderation.Filter.SpamExample>>(_examples.Values.OrderBy(e => e.CommentId, StringComparer.Ordinal).ToList());

    public Task ForgetExamplesAsync(IReadOnlyCollection<string> commentIds, CancellationToken cancellationToken)
    {
        foreach (var id in commentIds)
            _examples.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    public Task ForgetExamplesByAddressAsync(string addressKey, CancellationToken cancellationToken)
    {
        foreach (var example in _examples.Values.Where(e => e.AddressKey == addressKey).ToList())
            _examples.TryRemove(example.CommentId, out _);
        return Task.CompletedTask;
    }

    public Task<Moderation.Filter.StoredSpamModel?> ReadModelAsync(string? knownVersion, CancellationToken cancellationToken) =>
        Task.FromResult(_model is { } model && model.Version == knownVersion ? model with { Content = null } : _model);

    public Task SaveModelAsync(byte[] content, CancellationToken cancellationToken)
    {
        _model = new([.. content], Interlocked.Increment(ref _version).ToString());
        return Task.CompletedTask;
    }

    public Task ResetAsync(CancellationToken cancellationToken)
    {
        _examples.Clear();
        _model = null;
        return Task.CompletedTask;
    }
}

public sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];
    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options.Name, options.Version, options.Tags, this);
        _meters.Add(meter);
        return meter;
    }
    public void Dispose() => _meters.ForEach(m => m.Dispose());
}

/// <summary>Storage that always answers; a test sets the poison queues' depths.</summary>
public sealed class InMemoryStorageProbe : Telemetry.IStorageProbe
{
    public Dictionary<string, int> Poison { get; } = new() { ["comments"] = 0, ["notifications"] = 0 };
    public Task<IReadOnlyDictionary<string, int>> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(Poison));
}

/// <summary>Reactions in memory: a set of rows, and a tally replaced only when its version is unchanged.</summary>
public sealed class InMemoryReactionStore : Reactions.IReactionStore
{
    private readonly ConcurrentDictionary<string, byte> _rows = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly Dictionary<string, Reactions.ReactionTally> _tallies = new(StringComparer.Ordinal);
    private long _versions;
    public int Commits;

    public Task<bool> AddAsync(string threadKey, string target, string reader, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.TryAdd(threadKey + "/" + target + "|" + reader, 0));

    public Task<bool> RemoveAsync(string threadKey, string target, string reader, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.TryRemove(threadKey + "/" + target + "|" + reader, out _));

    public Task<int> CountAsync(string threadKey, string target, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.Keys.Count(k => k.StartsWith(threadKey + "/" + target + "|", StringComparison.Ordinal)));

    public Task<Reactions.ReactionTally?> GetTallyAsync(string threadKey, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_tallies.GetValueOrDefault(threadKey));
    }

    public Task<bool> TryCommitTallyAsync(string threadKey, Reactions.ReactionTally? expected, Reactions.ReactionTally next, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_tallies.GetValueOrDefault(threadKey)?.Version != expected?.Version)
                return Task.FromResult(false);
            _tallies[threadKey] = next with { Version = (++_versions).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Commits++;
            return Task.FromResult(true);
        }
    }
}
