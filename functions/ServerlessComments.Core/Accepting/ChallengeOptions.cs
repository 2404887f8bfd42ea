using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Accepting;

/// <summary>The proof-of-work challenge's settings (<c>Challenge__*</c>): on by default, no third party, no cookie.</summary>
public sealed class ChallengeOptions
{
    public const string Section = "Challenge";
    public const string Refuse = "refuse";
    public const string Hold = "hold";

    /// <summary>Measured (docs/challenge.md): a reader's headless Chromium is ready about a second after
    /// reaching the form (median, on a loaded test machine), well within the time a comment takes to
    /// write; a bot's .NET loop needs about a tenth of a second of one core per comment there.</summary>
    public const int DefaultMaxNumber = 100_000;

    /// <summary>Comments from readers must carry a solved challenge.</summary>
    public bool On { get; set; } = true;

    /// <summary>The difficulty: the secret number lies in 0..MaxNumber, so a solver hashes MaxNumber/2 times on average.</summary>
    [Range(1_000, 100_000_000)]
    public int MaxNumber { get; set; } = DefaultMaxNumber;

    /// <summary>How long a challenge may be solved and used; a reader writing longer gets a new one without noticing.</summary>
    [Range(30, 86_400)]
    public int Seconds { get; set; } = 600;

    /// <summary>What becomes of a comment whose proof is missing or wrong: <c>refuse</c> (400) or <c>hold</c> (for the owner).</summary>
    public string Missing { get; set; } = Refuse;

    /// <summary>Challenges one network (an IPv4 address, an IPv6 /64) may ask one instance for in a
    /// minute; more get 429. A reader asks for one per form shown, and again only after
    /// <see cref="Seconds"/>, so the default is far beyond any reader.</summary>
    [Range(1, 100_000)]
    public int PerMinute { get; set; } = DefaultPerMinute;

    public const int DefaultPerMinute = 30;

    public bool Holds => string.Equals(Missing, Hold, StringComparison.OrdinalIgnoreCase);

    public bool IsValid() => Missing is not null && (Holds || string.Equals(Missing, Refuse, StringComparison.OrdinalIgnoreCase));

    public const string Invalid = "Challenge:Missing must be refuse or hold.";
}
