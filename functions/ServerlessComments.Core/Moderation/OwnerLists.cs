using System.Net;

namespace ServerlessComments.Moderation;

/// <summary>
/// The defences the owner grows from the console, without redeploying: words, addresses,
/// domains and IPs (or networks, CIDR) that mark a comment spam (block) or hold it for the owner
/// (hold), added to the lists from configuration; and how long spam is kept.
/// </summary>
public sealed record OwnerLists
{
    public const int MaxEntries = 500;
    public const int MaxEntryLength = 100;
    public const int MaxSpamRetentionDays = 3650;

    public IReadOnlyList<string> BlockWords { get; init; } = [];
    public IReadOnlyList<string> HoldWords { get; init; } = [];
    public IReadOnlyList<string> BlockEmails { get; init; } = [];
    public IReadOnlyList<string> HoldEmails { get; init; } = [];
    public IReadOnlyList<string> BlockDomains { get; init; } = [];
    public IReadOnlyList<string> HoldDomains { get; init; } = [];
    public IReadOnlyList<string> BlockIps { get; init; } = [];
    public IReadOnlyList<string> HoldIps { get; init; } = [];
    /// <summary>Spam older than this many days is deleted by the daily clean-up; 0 keeps it.</summary>
    public int SpamRetentionDays { get; init; }

    public static readonly OwnerLists Empty = new();

    /// <summary>The lists as the owner sent them, trimmed, without blanks or repeats; or the
    /// problems, by field, that keep them from being saved.</summary>
    public static (OwnerLists? Lists, Dictionary<string, string[]> Problems) Clean(OwnerLists given)
    {
        var problems = new Dictionary<string, string[]>();
        IReadOnlyList<string> List(string field, IReadOnlyList<string>? entries, Func<string, bool>? valid = null, bool lower = false)
        {
            var cleaned = (entries ?? []).Select(e => (e ?? "").Trim()).Where(e => e.Length > 0)
                .Select(e => lower ? e.ToLowerInvariant() : e).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (cleaned.Count > MaxEntries)
                problems[field] = [$"At most {MaxEntries} entries."];
            else if (cleaned.FirstOrDefault(e => e.Length > MaxEntryLength) is { } tooLong)
                problems[field] = [$"Each entry has at most {MaxEntryLength} characters: \"{tooLong[..20]}…\" is longer."];
            else if (valid is not null && cleaned.FirstOrDefault(e => !valid(e)) is { } bad)
                problems[field] = [$"\"{bad}\" is not valid here."];
            return cleaned;
        }
        static bool IsEmail(string e) => e.IndexOf('@') is > 0 and var at && at < e.Length - 1 && !e.Any(char.IsWhiteSpace);
        static bool IsDomain(string d) => d.Contains('.') && !d.Contains('@') && !d.Any(char.IsWhiteSpace) && !d.Contains('/');
        var lists = new OwnerLists
        {
            BlockWords = List("blockWords", given.BlockWords),
            HoldWords = List("holdWords", given.HoldWords),
            BlockEmails = List("blockEmails", given.BlockEmails, IsEmail, lower: true),
            HoldEmails = List("holdEmails", given.HoldEmails, IsEmail, lower: true),
            BlockDomains = List("blockDomains", given.BlockDomains, IsDomain, lower: true),
            HoldDomains = List("holdDomains", given.HoldDomains, IsDomain, lower: true),
            BlockIps = List("blockIps", given.BlockIps, IsIpOrNetwork),
            HoldIps = List("holdIps", given.HoldIps, IsIpOrNetwork),
            SpamRetentionDays = given.SpamRetentionDays,
        };
        if (given.SpamRetentionDays is < 0 or > MaxSpamRetentionDays)
            problems["spamRetentionDays"] = [$"spamRetentionDays must be from 0 (keep) to {MaxSpamRetentionDays}."];
        return (problems.Count == 0 ? lists : null, problems);
    }

    private static bool IsIpOrNetwork(string entry) => IPAddress.TryParse(entry, out _) || IPNetwork.TryParse(entry, out _);

    /// <summary>True when <paramref name="ip"/> is one of the entries, or inside one of their networks.</summary>
    public static string? MatchIp(IReadOnlyList<string> entries, string? ip)
    {
        if (ip is null || !IPAddress.TryParse(ip, out var address))
            return null;
        foreach (var entry in entries)
        {
            if (IPAddress.TryParse(entry, out var single) ? single.Equals(address) : IPNetwork.TryParse(entry, out var network) && network.Contains(address))
                return entry;
        }
        return null;
    }

    /// <summary>The entry naming the address's domain, or a parent of it (<c>example.com</c> covers <c>mail.example.com</c>).</summary>
    public static string? MatchDomain(IReadOnlyList<string> domains, string? host)
    {
        if (string.IsNullOrEmpty(host))
            return null;
        host = host.ToLowerInvariant();
        return domains.FirstOrDefault(d => host == d || host.EndsWith("." + d, StringComparison.Ordinal));
    }
}

/// <summary>Where the owner's lists are kept.</summary>
public interface IOwnerSettings
{
    Task<OwnerLists> GetListsAsync(CancellationToken cancellationToken);
    Task SaveListsAsync(OwnerLists lists, CancellationToken cancellationToken);
}

/// <summary>
/// The owner's lists as every instance applies them: read at most once a minute (so a change
/// reaches every instance within a minute), and at once on the instance that saved it.
/// </summary>
public sealed class OwnerRules(IOwnerSettings settings, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    private (OwnerLists Lists, DateTimeOffset ReadAt)? _cached;
    private readonly SemaphoreSlim _reading = new(1, 1);

    public async ValueTask<OwnerLists> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && clock.GetUtcNow() - c.ReadAt < Freshness)
            return c.Lists;
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && clock.GetUtcNow() - again.ReadAt < Freshness)
                return again.Lists;
            var lists = await settings.GetListsAsync(cancellationToken);
            _cached = (lists, clock.GetUtcNow());
            return lists;
        }
        finally
        {
            _reading.Release();
        }
    }

    public async Task SaveAsync(OwnerLists lists, CancellationToken cancellationToken)
    {
        await settings.SaveListsAsync(lists, cancellationToken);
        _cached = (lists, clock.GetUtcNow());
    }

    /// <summary>"Mark spam and block this address" in one step.</summary>
    public async Task BlockEmailAsync(string email, CancellationToken cancellationToken)
    {
        var lists = await settings.GetListsAsync(cancellationToken);
        if (lists.BlockEmails.Contains(email, StringComparer.OrdinalIgnoreCase))
            return;
        await SaveAsync(lists with { BlockEmails = [.. lists.BlockEmails, email.ToLowerInvariant()] }, cancellationToken);
    }
}
