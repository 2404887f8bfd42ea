using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Moderation;

public enum ModerationMode
{
    /// <summary>Publish what passes the checks.</summary>
    None,
    /// <summary>As WordPress does by default: hold a comment unless its author's email already has
    /// a published comment on this site.</summary>
    FirstTime,
    /// <summary>Hold everything for the owner.</summary>
    All,
}

public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    /// <summary><c>Moderation__Mode</c>: <c>none</c>, <c>first-time</c> (default) or <c>all</c>.</summary>
    public string Mode { get; set; } = "first-time";

    public const string Invalid = "Moderation:Mode must be none, first-time or all.";

    /// <summary>The mode, or null when the setting names none.</summary>
    public ModerationMode? ParsedMode => Mode.Trim().ToLowerInvariant() switch
    {
        "none" => ModerationMode.None,
        "first-time" or "firsttime" => ModerationMode.FirstTime,
        "all" => ModerationMode.All,
        _ => null,
    };
}

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
