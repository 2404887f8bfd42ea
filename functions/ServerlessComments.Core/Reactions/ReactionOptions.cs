using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ServerlessComments.Reactions;

/// <summary><c>Reactions__*</c>: readers' likes and the page's row of emoji.</summary>
public sealed class ReactionOptions
{
    public const string Section = "Reactions";
    public const int MaxEmoji = 12;
    public const int MaxEmojiLength = 16;

    /// <summary><c>Reactions__Enabled</c>: false turns likes and page reactions off (the widget shows
    /// no buttons, the routes answer 404). Pinning is the owner's and stays.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Reactions__PageEmoji</c>: the page's reactions, separated by spaces; empty for none.</summary>
    public string PageEmoji { get; set; } = "👍 ❤️ 😂 😮 😢";

    /// <summary><c>Reactions__FloodMilliseconds</c>: one reaction per IP (IPv6: per /64) in this
    /// window, as comments have theirs; 0 turns the guard off.</summary>
    [Range(0, 60_000)]
    public int FloodMilliseconds { get; set; } = 500;

    public IReadOnlyList<string> Emoji => PageEmoji.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Each emoji is a few characters of text, never a storage key's separator or a control character.</summary>
    public bool IsValid() =>
        Emoji.Count <= MaxEmoji && Emoji.Distinct(StringComparer.Ordinal).Count() == Emoji.Count &&
        Emoji.All(e => e.Length <= MaxEmojiLength && !e.Any(c => char.IsControl(c) || c is '|' or '/' or '\\' or '#' or '?' || char.IsAsciiLetterOrDigit(c)) &&
                       new StringInfo(e).LengthInTextElements == 1);

    public const string Invalid = "Reactions:PageEmoji must be at most 12 distinct emoji separated by spaces, each one character as a reader sees it.";
}
