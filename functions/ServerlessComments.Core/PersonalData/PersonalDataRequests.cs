using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
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

/// <summary>What an erasure did: comments deleted or anonymised, threads whose views were
/// rebuilt, comments still waiting to be processed (queued or poisoned) that were dropped, and
/// entries taken out of the owner's lists.</summary>
public sealed record ErasureSummary(int Deleted, int Anonymised, int Threads, int Waiting = 0, int ListEntries = 0);

/// <summary>
/// A person's data on request (GDPR articles 15 and 17): every comment written with an email
/// address (compared without case), to read or export, and its erasure: the comments deleted or
/// made anonymous (the author becomes "Anonymous" in the site's language; email, website, IP,
/// user agent and referrer go; the text is kept or replaced, the owner's choice), and the side
/// records that hold the address: known author, reply opt-out, duplicate marks and the flood
/// slot. The public views of the threads concerned are rebuilt, so the name leaves them too.
/// Beyond the stored comments: a tombstone (a keyed hash of the address) is written first, so a
/// comment of theirs that is being processed, retried or replayed is dropped rather than stored;
/// comments of theirs still queued or in the poison queue are deleted; the address and their
/// IPs leave the owner's lists unless the owner keeps them; reasons that quote them are
/// rewritten; and chunks of the threads' views that no state names any more are swept.
/// </summary>
/// <remarks>Finding reads every comment (the store keeps no index by address, on purpose: one
/// more copy of every address). For a blog's volume that is seconds; it is not a reader path.</remarks>
public sealed class PersonalDataRequests(ICommentStore store, IAuthorRecords authors, IAcceptGuards guards, GuardKeys keys,
    ThreadViewUpdater views, IJobQueue jobs, ErasedAddresses erased, OwnerRules ownerRules, IEmailLedger ledger, TimeProvider clock, ILogger<PersonalDataRequests> logger,
    Moderation.Filter.ISpamLearning spamLearning, Editing.Placeholders placeholders, Faces.Avatars? avatars = null)
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

    /// <param name="keepListed">Keep the address and the comments' IPs in the owner's block and
    /// hold lists (the owner's choice; by default they go with the rest).</param>
    public async Task<ErasureSummary> EraseAsync(string email, string mode, bool keepText, string? lang, CancellationToken cancellationToken,
        bool keepListed = false)
    {
        if (!EraseMode.All.Contains(mode))
            throw new ArgumentException($"mode must be {string.Join(" or ", EraseMode.All)}.", nameof(mode));
        var say = Strings.For(lang);
        email = email.Trim();
        // The tombstone first: from now on nothing written before this moment with this address
        // is stored, whichever worker holds it; then what waits in the queues.
        await erased.RememberAsync(email, clock.GetUtcNow(), cancellationToken);
        var waiting = await jobs.ForgetCommentsAsync(email, cancellationToken);
        var found = new List<StoredComment>();
        await foreach (var comment in FindAsync(email, cancellationToken))
            found.Add(comment);

        var threads = new HashSet<string>(StringComparer.Ordinal);
        var fingerprints = new List<string>();
        var ips = found.Select(c => c.Ip).OfType<string>().Where(ip => ip.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var comment in found)
        {
            threads.Add(comment.Thread);
            fingerprints.Add(keys.Fingerprint(comment.ThreadKey, comment.Email, comment.Body));
            if (mode == EraseMode.Delete)
            {
                await store.DeleteAsync(comment, cancellationToken);
                await placeholders.ForgetEmptyAboveAsync(comment, cancellationToken);
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
                // Earlier texts (the author's edits) go with the text.
                History = keepText ? comment.History : [],
                PageUrl = comment.PageUrl,
            };
            await SaveAsync(anonymous, reasons => Scrub(reasons, email, ips), cancellationToken);
        }

        // The spam filter's examples keep the name and the text: they go too (the model follows at its next retraining),
        // those of comments still stored by id, and by the address's keyed hash those the owner already deleted.
        await spamLearning.ForgetExamplesAsync(found.Select(c => c.Id).ToList(), cancellationToken);
        await spamLearning.ForgetExamplesByAddressAsync(keys.SpamExampleAuthor(email), cancellationToken);
        await authors.ForgetKnownAuthorAsync(email, cancellationToken);
        await authors.ForgetOptOutAsync(email, cancellationToken);
        await authors.ForgetConfirmationAsync(email, cancellationToken);
        await guards.ForgetAsync(fingerprints, [keys.EmailFlood(email), .. ips.Select(keys.IpFlood)], cancellationToken);
        await ledger.ForgetRecipientAsync(email, cancellationToken);
        if (avatars is not null)
            await avatars.ForgetAsync(email, cancellationToken);
        var unlisted = keepListed ? 0 : await UnlistAsync(email, ips, cancellationToken);
        foreach (var thread in threads)
        {
            await views.RefreshAsync(thread, cancellationToken);
            await views.SweepChunksAsync(thread, cancellationToken);
        }

        var summary = mode == EraseMode.Delete
            ? new ErasureSummary(found.Count, 0, threads.Count, waiting, unlisted)
            : new ErasureSummary(0, found.Count, threads.Count, waiting, unlisted);
        logger.LogInformation("Personal data erased: {Deleted} comment(s) deleted, {Anonymised} anonymised, in {Threads} thread(s); {Waiting} waiting comment(s) dropped, {ListEntries} list entr(ies) removed",
            summary.Deleted, summary.Anonymised, summary.Threads, summary.Waiting, summary.ListEntries);
        return summary;
    }

    /// <summary>Takes the address and the IPs out of every owner's list (a network entry stays:
    /// it names no one).</summary>
    private async Task<int> UnlistAsync(string email, IReadOnlyList<string> ips, CancellationToken cancellationToken)
    {
        var lists = await ownerRules.CurrentAsync(cancellationToken);
        var removed = 0;
        IReadOnlyList<string> Without(IReadOnlyList<string> entries)
        {
            var kept = entries.Where(e => !string.Equals(e, email, StringComparison.OrdinalIgnoreCase) &&
                                          !ips.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
            removed += entries.Count - kept.Count;
            return kept;
        }
        var cleaned = lists with
        {
            BlockEmails = Without(lists.BlockEmails), HoldEmails = Without(lists.HoldEmails),
            BlockIps = Without(lists.BlockIps), HoldIps = Without(lists.HoldIps),
            BlockWords = Without(lists.BlockWords), HoldWords = Without(lists.HoldWords),
        };
        if (removed > 0)
            await ownerRules.SaveAsync(cleaned, cancellationToken);
        return removed;
    }

    /// <summary>Reasons without the address or the IPs (those written before reasons stopped quoting them).</summary>
    private static IReadOnlyList<string> Scrub(IReadOnlyList<string> reasons, string email, IReadOnlyList<string> ips) =>
        reasons.Select(r => ips.Aggregate(r.Replace(email, "[erased]", StringComparison.OrdinalIgnoreCase),
            (text, ip) => text.Replace(ip, "[erased]", StringComparison.OrdinalIgnoreCase))).ToList();

    private async Task SaveAsync(StoredComment comment, Func<IReadOnlyList<string>, IReadOnlyList<string>> scrub, CancellationToken cancellationToken)
    {
        comment = comment with { Reasons = scrub(comment.Reasons) };
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
                comment = comment with { Status = current.Status, Reasons = scrub(current.Reasons), Version = current.Version };
            }
        }
    }
}
