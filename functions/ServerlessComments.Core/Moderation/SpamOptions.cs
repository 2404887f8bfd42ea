using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Moderation;

/// <summary>The built-in defences' settings (<c>Spam__*</c>): on without any key, with WordPress's defaults.</summary>
public sealed class SpamOptions
{
    public const string Section = "Spam";

    /// <summary>More links than this holds a comment (WordPress: 2).</summary>
    [Range(0, 1000)]
    public int MaxLinks { get; set; } = 2;

    /// <summary>Words that hold a comment, matched in author, email, website, text and IP;
    /// separated by new lines or commas (WordPress's "Comment Moderation" list).</summary>
    public string HoldWords { get; set; } = "";

    /// <summary>Words that mark a comment spam (WordPress's "Disallowed Comment Keys").</summary>
    public string BlockWords { get; set; } = "";

    /// <summary>Refuse (409) the same email posting the same text to the same thread again. It costs
    /// one table insert per comment accepted.</summary>
    public bool RefuseDuplicates { get; set; } = true;

    /// <summary>One comment per IP and per email address every this many seconds; 0 turns it off.</summary>
    [Range(0, 86_400)]
    public int FloodSeconds { get; set; } = 15;

    public static IReadOnlyList<string> Words(string list) =>
        list.Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
