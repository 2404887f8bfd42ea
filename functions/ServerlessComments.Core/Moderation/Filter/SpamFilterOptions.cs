using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Moderation.Filter;

/// <summary>The learning filter's settings (<c>Spam__Filter*</c>); on by default, needing no key.</summary>
public sealed class SpamFilterOptions
{
    public const string Section = "Spam";

    /// <summary>On (default) or off.</summary>
    public bool Filter { get; set; } = true;

    /// <summary>At or above this probability a comment is marked spam (no owner email).</summary>
    [Range(0.0, 1.0)]
    public double FilterSpamAbove { get; set; } = 0.95;

    /// <summary>At or above this probability (and below the spam one) a comment is held.</summary>
    [Range(0.0, 1.0)]
    public double FilterHoldAbove { get; set; } = 0.7;

    /// <summary>How much one owner decision weighs against one comment of the starting corpora.</summary>
    [Range(1, 100)]
    public double FilterOwnerWeight { get; set; } = 5;

    public bool IsValid() => FilterHoldAbove <= FilterSpamAbove;

    public const string Invalid = "Spam:FilterHoldAbove must not be above Spam:FilterSpamAbove.";

    /// <summary>What a probability means under these settings.</summary>
    public Decision Decide(double probability) =>
        probability >= FilterSpamAbove ? Decision.Spam : probability >= FilterHoldAbove ? Decision.Hold : Decision.Publish;
}
