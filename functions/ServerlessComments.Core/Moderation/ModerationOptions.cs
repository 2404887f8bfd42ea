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
