using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Texts;
using ServerlessComments.Threads;

namespace ServerlessComments.PersonalData;

/// <summary>How a person's comments are erased: deleted, or kept anonymous.</summary>
public static class EraseMode
{
    public const string Delete = "delete";
    public const string Anonymise = "anonymise";
    public static readonly string[] All = [Delete, Anonymise];
}

/// <summary>What an erasure did.</summary>
public sealed record ErasureSummary(int Deleted, int Anonymised, int Threads);

/// <summary>
/// A person's data on request (GDPR articles 15 and 17): every comment written with an email
/// address (compared without case), to read or export, and its erasure: the comments deleted or
/// made anonymous (the author becomes "Anonymous" in the site's language; email, website, IP,
/// user agent and referrer go; the text is kept or replaced, the owner's choice), and the side
/// records that hold the address: known author, reply opt-out, duplicate marks and the flood
/// slot. The public views of the threads concerned are rebuilt, so the name leaves them too.
/// </summary>
/// <remarks>Finding reads every comment (the store keeps no index by address, on purpose: one
/// more copy of every address). For a blog's volume that is seconds; it is not a reader path.</remarks>
public sealed class PersonalDataRequests(ICommentStore store, IAuthorRecords authors, IAcceptGuards guards, GuardKeys keys,
    ThreadViewUpdater views, ILogger<PersonalDataRequests> logger)
{
    public async IAsyncEnumerable<StoredComment> FindAsync(string email, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var address = email.Trim();
        await foreach (var comment in store.AllAsync(cancellationToken))
        {
            if (string.Equals(comment.Email, address, StringComparison.OrdinalIgnoreCase))
                yield return comment;
        }
    }

    public async Task<ErasureSummary> EraseAsync(string email, string mode, bool keepText, string? lang, CancellationToken cancellationToken)
    {
        if (!EraseMode.All.Contains(mode))
            throw new ArgumentException($"mode must be {string.Join(" or ", EraseMode.All)}.", nameof(mode));
        var say = Strings.For(lang);
        var found = new List<StoredComment>();
        await foreach (var comment in FindAsync(email, cancellationToken))
            found.Add(comment);

        var threads = new HashSet<string>(StringComparer.Ordinal);
        var fingerprints = new List<string>();
        foreach (var comment in found)
        {
            threads.Add(comment.Thread);
            fingerprints.Add(keys.Fingerprint(comment.ThreadKey, comment.Email, comment.Body));
            if (mode == EraseMode.Delete)
            {
                await store.DeleteAsync(comment, cancellationToken);
                continue;
            }
            var anonymous = comment with
            {
                Author = say.Get("data", "anonymous"),
                Email = "",
                Website = null,
                Ip = null,
                UserAgent = null,
                Referrer = null,
                Honeypot = null,
                NotifyOnReply = false,
                Body = keepText ? comment.Body : say.Get("data", "erasedText"),
                PageUrl = comment.PageUrl,
            };
            await SaveAsync(anonymous, cancellationToken);
        }

        await authors.ForgetKnownAuthorAsync(email.Trim(), cancellationToken);
        await authors.ForgetOptOutAsync(email.Trim(), cancellationToken);
        await authors.ForgetConfirmationAsync(email.Trim(), cancellationToken);
        await guards.ForgetAsync(fingerprints, [keys.EmailFlood(email.Trim())], cancellationToken);
        foreach (var thread in threads)
            await views.RefreshAsync(thread, cancellationToken);

        var summary = mode == EraseMode.Delete ? new ErasureSummary(found.Count, 0, threads.Count) : new ErasureSummary(0, found.Count, threads.Count);
        logger.LogInformation("Personal data erased: {Deleted} comment(s) deleted, {Anonymised} anonymised, in {Threads} thread(s)",
            summary.Deleted, summary.Anonymised, summary.Threads);
        return summary;
    }

    private async Task SaveAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        // The owner may be deciding on the same comment: read it again and retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.SaveStatusAsync(comment, cancellationToken);
                return;
            }
            catch (CommentChangedException) when (attempt < 5)
            {
                var current = await store.GetAsync(comment.Thread, comment.Id, cancellationToken);
                if (current is null)
                    return;
                comment = comment with { Status = current.Status, Reasons = current.Reasons, Version = current.Version };
            }
        }
    }
}
