namespace ServerlessComments.Texts;

/// <summary>The language readers are answered in (validation messages, emails, pages): the
/// strings file of the tag's primary language (<c>fr</c>, <c>fr-FR</c>, <c>fr-CA</c> → fr), English
/// when there is none. One rule, so the widget, the API and the emails always agree.</summary>
public static class PageLanguage
{
    public const string Fallback = "en";

    public static string Pick(string? lang)
    {
        var primary = lang?.Trim().Split('-', '_')[0].ToLowerInvariant();
        return primary is { Length: > 0 } && Strings.Languages.Contains(primary) ? primary : Fallback;
    }

    public static bool IsFrench(string? lang) => Pick(lang) == "fr";
}
