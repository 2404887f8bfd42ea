using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Export;
using ServerlessComments.Jobs;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.Texts;

namespace ServerlessComments.PersonalData;

/// <summary><c>YourData__*</c>: a reader's own way to their data, without asking the owner.</summary>
public sealed class YourDataOptions
{
    public const string Section = "YourData";
    /// <summary>False: readers cannot ask for their data by link (the owner's find and erase still work).</summary>
    public bool On { get; set; } = true;
    /// <summary>One request per client address per this many seconds.</summary>
    [Range(1, 3600)]
    public int RequestSeconds { get; set; } = 20;
    /// <summary>At most this many "your data" emails leave the site in an hour, whoever asks; beyond it a request sends nothing.</summary>
    [Range(1, 10_000)]
    public int EmailsPerHour { get; set; } = 30;
}

/// <summary>What a reader's link says: which address, in which language, until when, and its id (for its one use).</summary>
public sealed record YourDataLink(string Id, string Email, string Lang, DateTimeOffset Expires);

/// <summary>
/// "My comments and my data": a reader asks, by address, for a link to everything the site keeps
/// about that address. The answer is the same whatever the address (decided before the address is
/// looked at); the address is looked up off the request path, by the email job, and an address
/// with no comments gets no email. At most one email per address per link lifetime (30 minutes),
/// so typing someone else's address cannot flood them; one request per client per
/// <see cref="YourDataOptions.RequestSeconds"/>; at most <see cref="YourDataOptions.EmailsPerHour"/> site-wide.
/// The link (valid 30 minutes) lets its holder download the owner's find for that address, stop
/// every email to it (the site-wide opt-out), and erase with the owner's erase.
/// One use means: the link ends at its first erase, or after 30 minutes; download and stop may be
/// repeated before that, since they change nothing, or the same thing again.
/// The address never appears in clear in the link or the queue: it is sealed (AES-GCM, a key
/// derived from the link secret), so an altered link does not open.
/// </summary>
public sealed class YourDataRequests(PersonalDataRequests personalData, IAuthorRecords authors, IAcceptGuards guards, IAttemptCounters counters, GuardKeys keys,
    IJobQueue jobs, IEmailLedger ledger, IEmailSender sender, IOwnerTokens tokens, LinkSigner signer, IOptions<YourDataOptions> options,
    IOptions<NotificationOptions> notifications, TimeProvider clock, ILogger<YourDataRequests> logger)
{
    public const string Kind = "yourdata";
    public const string Path = "/api/your-data";
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(30);
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private readonly byte[] _key = signer.KeyFor("your-data");

    public bool IsOn => options.Value.On;

    /// <summary>Asks for a link. Returns how long to wait when this client asks too often; otherwise
    /// queues the lookup and says nothing of what it will find.</summary>
    public async Task<TimeSpan?> RequestLinkAsync(string email, string? lang, string? clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await guards.ClaimFloodSlotAsync([keys.Flood("yourdata-request\n" + clientIp)], TimeSpan.FromSeconds(options.Value.RequestSeconds), now, cancellationToken) is { } wait)
            return wait;
        // The queue holds the request sealed: no address in clear in a queue or its poison queue.
        var request = Seal(new YourDataLink("request", email.Trim(), PageLanguage.Pick(lang), now + LinkLifetime));
        await jobs.EnqueueEmailAsync(new NotificationJob(Kind, request), null, cancellationToken);
        return null;
    }

    /// <summary>The email job: looks the address up and sends the link, or nothing. Nothing for an
    /// address without comments, for one that had a link within the last 30 minutes, or past the hour's cap.</summary>
    public async Task SendLinkAsync(string sealedRequest, CancellationToken cancellationToken)
    {
        if (Open(sealedRequest) is not { } request || request.Expires <= clock.GetUtcNow())
        {
            logger.LogWarning("A your-data request that does not open, or came too late: nothing sent");
            return;
        }
        var hasComments = false;
        await foreach (var _ in personalData.FindAsync(request.Email, cancellationToken))
        {
            hasComments = true;
            break;
        }
        if (!hasComments)
        {
            logger.LogInformation("Your-data link asked for an address without comments: nothing sent");
            return;
        }
        var now = clock.GetUtcNow();
        var period = "yourdata-" + now.ToUnixTimeSeconds() / (long)LinkLifetime.TotalSeconds;
        var to = request.Email.ToLowerInvariant();
        if (await ledger.TryClaimAsync(period, Kind, to, NotificationDelivery.ClaimLease, cancellationToken) != EmailClaim.Claimed)
        {
            logger.LogInformation("Your-data link not sent: this address had one in this period");
            return;
        }
        var sent = await counters.AddAsync(keys.Flood("yourdata-emails\nsite"), TimeSpan.FromHours(1), now, cancellationToken);
        if (sent.Count > options.Value.EmailsPerHour)
        {
            logger.LogWarning("Your-data link not sent: {Count} were asked for this hour (YourData__EmailsPerHour is {Cap})", sent.Count, options.Value.EmailsPerHour);
            return; // the period's claim stays: asking again this period sends nothing either
        }
        var link = new YourDataLink(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), request.Email, request.Lang, now + LinkLifetime);
        var result = await sender.SendAsync(Compose(link), cancellationToken);
        if (result.Sent)
            await ledger.MarkSentAsync(period, Kind, to, cancellationToken);
        else
        {
            // Not retried: the reader can ask again, and a link that arrives late would be short-lived.
            await ledger.ReleaseAsync(period, Kind, to, cancellationToken);
            logger.LogWarning("Your-data link not sent: {Detail}", result.Detail);
        }
    }

    public Email Compose(YourDataLink link)
    {
        var t = Strings.For(link.Lang);
        var site = notifications.Value.SiteName;
        var url = $"{notifications.Value.PublicBaseUrl.TrimEnd('/')}{Path}?t={Seal(link)}";
        var text = new StringBuilder().AppendLine(t.Email("yourDataIntro", ("site", site))).AppendLine()
            .AppendLine($"{t.Email("yourDataButton")}: {url}").AppendLine().AppendLine(t.Email("yourDataIgnore"));
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>").Append(Html.Encode(t.Email("yourDataIntro", ("site", site)))).Append("</p>")
            .Append($"<p><a href=\"{Html.Encode(url)}\">{Html.Encode(t.Email("yourDataButton"))}</a></p>")
            .Append("<p><small>").Append(Html.Encode(t.Email("yourDataIgnore"))).Append("</small></p></body></html>");
        return new Email(link.Email, t.Email("yourDataSubject", ("site", site)), text.ToString(), html.ToString(), new Dictionary<string, string>(), Kind);
    }

    public enum LinkCheck { Valid, Tampered, Expired, Used }

    /// <summary>Checks a link without using it: altered (or not a link) is Tampered, never an exception.</summary>
    public async Task<(LinkCheck Check, YourDataLink? Link)> CheckAsync(string? token, CancellationToken cancellationToken)
    {
        if (Open(token) is not { Id.Length: 32 } link)
            return (LinkCheck.Tampered, null);
        if (clock.GetUtcNow() > link.Expires)
            return (LinkCheck.Expired, null);
        if (await tokens.IsUsedAsync(Kind, link.Id, cancellationToken))
            return (LinkCheck.Used, null);
        return (LinkCheck.Valid, link);
    }

    /// <summary>Everything stored about the link's address: the owner's find, as the owner sees it.</summary>
    public async Task<(LinkCheck Check, IReadOnlyList<ExportedComment>? Comments)> DownloadAsync(string? token, CancellationToken cancellationToken)
    {
        var (check, link) = await CheckAsync(token, cancellationToken);
        if (link is null)
            return (check, null);
        var comments = new List<ExportedComment>();
        await foreach (var comment in personalData.FindAsync(link.Email, cancellationToken))
            comments.Add(ExportedComment.From(comment));
        return (check, comments);
    }

    /// <summary>No more email to the address: the site-wide opt-out of reply emails.</summary>
    public async Task<LinkCheck> StopEmailsAsync(string? token, CancellationToken cancellationToken)
    {
        var (check, link) = await CheckAsync(token, cancellationToken);
        if (link is not null)
            await authors.OptOutOfRepliesAsync(link.Email, cancellationToken);
        return check;
    }

    /// <summary>The owner's erase, for the link's address; it uses the link up, first, so two at once erase once.</summary>
    public async Task<(LinkCheck Check, ErasureSummary? Summary)> EraseAsync(string? token, string mode, bool keepText, CancellationToken cancellationToken)
    {
        if (!EraseMode.All.Contains(mode))
            throw new ArgumentException($"mode must be {string.Join(" or ", EraseMode.All)}.", nameof(mode));
        var (check, link) = await CheckAsync(token, cancellationToken);
        if (link is null)
            return (check, null);
        if (!await tokens.TryUseOnceAsync(Kind, link.Id, link.Expires, cancellationToken))
            return (LinkCheck.Used, null);
        logger.LogInformation("A reader erased their data from an emailed link");
        return (LinkCheck.Valid, await personalData.EraseAsync(link.Email, mode, keepText, link.Lang, cancellationToken));
    }

    private string Seal(YourDataLink link)
    {
        var plain = Encoding.UTF8.GetBytes(string.Join('\n', link.Id, link.Expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), link.Lang, link.Email));
        var sealedBytes = new byte[12 + plain.Length + 16];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length));
        return Convert.ToBase64String(sealedBytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private YourDataLink? Open(string? token)
    {
        if (token is not { Length: > 40 and <= 1024 })
            return null;
        byte[] bytes;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(b64 + new string('=', (4 - b64.Length % 4) % 4));
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length < 12 + 16 + 1)
            return null;
        var plain = new byte[bytes.Length - 28];
        try
        {
            using var aes = new AesGcm(_key, 16);
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(12, plain.Length), bytes.AsSpan(12 + plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain).Split('\n', 4) is [var id, var unix, var lang, var email] && long.TryParse(unix, CultureInfo.InvariantCulture, out var seconds)
            ? new YourDataLink(id, email, lang, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;
    }
}
