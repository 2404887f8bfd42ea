using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessComments.Notifications;

namespace ServerlessComments.Accepting;

/// <summary>A challenge as the widget receives it (the fields of ALTCHA's v1 scheme): find the number
/// in 0..<see cref="Maxnumber"/> whose SHA-256 with the salt is <see cref="Challenge"/>.</summary>
public sealed record PowChallenge(string Algorithm, string Challenge, long Maxnumber, string Salt, string Signature);

/// <summary>A solved challenge as a client sends it, Base64 of this JSON in the comment's <c>proof</c> field.</summary>
public sealed record PowSolution(string? Algorithm, string? Challenge, long? Number, string? Salt, string? Signature);

/// <summary>What a proof was found to be.</summary>
public enum ProofCheck { Valid, Missing, Malformed, Forged, Expired, OtherDifficulty, Wrong, Used }

/// <summary>
/// The proof-of-work challenge that stops bots before the queue, for every entry point that accepts
/// readers' comments (see <see cref="CommentAcceptance"/>). The server picks a secret number and
/// publishes the SHA-256 of salt + number, signed with an HMAC; finding the number costs the client
/// about MaxNumber/2 hashes, checking it costs the server two. The salt carries the expiry and the
/// difficulty, so they are signed too (the signature covers the hash, which covers the salt). No
/// cookie and no server state until a solution is spent: then one row, so it serves one comment.
/// </summary>
public sealed class Challenges(IUsedChallenges used, LinkSigner signer, IOptions<ChallengeOptions> options, TimeProvider clock)
{
    public const string Field = "proof";
    public const string Algorithm = "SHA-256";
    /// <summary>A proof is about 300 characters; anything far longer is not one, and is not parsed.</summary>
    public const int MaxProofLength = 2_000;

    // A key of its own, derived from the link secret, so that one key never serves two purposes;
    // every instance derives the same one, so any of them checks what another issued.
    private readonly byte[] _key = signer.KeyFor("challenge");
    private readonly MinuteAllowance _allowance = new(clock);

    public bool IsOn => options.Value.On;

    public bool Holds => options.Value.Holds;

    /// <summary>Counts a request for a challenge from this client: the seconds it must wait when its
    /// network asked for more than <c>Challenge__PerMinute</c> this minute, else null.</summary>
    public int? TooSoon(string? ip) => _allowance.Wait(ip, options.Value.PerMinute);

    /// <summary>A new challenge at the configured difficulty, valid for <c>Challenge__Seconds</c>.</summary>
    public PowChallenge Issue()
    {
        var o = options.Value;
        var expires = clock.GetUtcNow().AddSeconds(o.Seconds).ToUnixTimeSeconds();
        var salt = $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}?expires={expires}&max={o.MaxNumber}&";
        var hash = Hash(salt, RandomNumberGenerator.GetInt32(o.MaxNumber + 1));
        return new PowChallenge(Algorithm, hash, o.MaxNumber, salt, Sign(hash));
    }

    /// <summary>Checks a proof and spends it on <paramref name="usedFor"/>: the same proof offered again
    /// for the same thing (a retry of one submission with its idempotency key) is still valid; for
    /// anything else it is <see cref="ProofCheck.Used"/>. The only storage it touches is that one row.</summary>
    public async Task<ProofCheck> CheckAsync(string? proof, string usedFor, CancellationToken cancellationToken)
    {
        var check = Verify(proof, out var solution, out var expires);
        if (check != ProofCheck.Valid)
            return check;
        var before = await used.TryUseAsync(solution!.Challenge!, usedFor, expires, cancellationToken);
        return before is null || before == usedFor ? ProofCheck.Valid : ProofCheck.Used;
    }

    /// <summary>The checks that need no storage: form, signature, expiry, difficulty, solution.</summary>
    public ProofCheck Verify(string? proof, out PowSolution? solution, out DateTimeOffset expires)
    {
        solution = null;
        expires = default;
        if (string.IsNullOrWhiteSpace(proof))
            return ProofCheck.Missing;
        if (proof.Length > MaxProofLength)
            return ProofCheck.Malformed;
        try
        {
            solution = JsonSerializer.Deserialize<PowSolution>(Convert.FromBase64String(proof.Trim()), JsonOptions);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return ProofCheck.Malformed;
        }
        if (solution is not { Algorithm: Algorithm, Challenge.Length: 64, Number: { } number, Salt: { } salt, Signature.Length: 64 })
            return ProofCheck.Malformed;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(solution.Challenge)), Encoding.ASCII.GetBytes(solution.Signature.ToLowerInvariant())))
            return ProofCheck.Forged;
        if (!TryReadSalt(salt, out var expiresUnix, out var max))
            return ProofCheck.Malformed;
        expires = DateTimeOffset.FromUnixTimeSeconds(expiresUnix);
        if (clock.GetUtcNow() > expires)
            return ProofCheck.Expired;
        // Signed by us but at another difficulty (the owner changed it, or an old page): a new one is cheap.
        if (max != options.Value.MaxNumber)
            return ProofCheck.OtherDifficulty;
        if (number < 0 || number > max || Hash(salt, number) != solution.Challenge)
            return ProofCheck.Wrong;
        return ProofCheck.Valid;
    }

    /// <summary>Why a comment was held, for the owner (never public).</summary>
    public static string Reason(ProofCheck check) => check switch
    {
        ProofCheck.Missing => "no proof of work",
        ProofCheck.Expired => "proof of work expired",
        ProofCheck.OtherDifficulty => "proof of work for another difficulty",
        ProofCheck.Used => "proof of work already used",
        ProofCheck.Forged => "proof of work not signed by this server",
        _ => "proof of work wrong",
    };

    public static string Hash(string salt, long number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + number.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private string Sign(string hash) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(hash)));

    private static bool TryReadSalt(string salt, out long expires, out long max)
    {
        expires = max = -1;
        var query = salt.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
            return false;
        foreach (var pair in salt[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.IndexOf('=') is var eq and > 0 ? (pair[..eq], pair[(eq + 1)..]) : (pair, "");
            if (name == "expires" && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var e))
                expires = e;
            else if (name == "max" && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m))
                max = m;
        }
        return expires >= 0 && max >= 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}
