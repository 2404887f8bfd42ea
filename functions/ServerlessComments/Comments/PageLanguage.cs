namespace ServerlessComments.Comments;

/// <summary>The languages readers are answered in (validation messages, emails): French for any
/// <c>fr</c> tag (fr, fr-FR, fr-CA…), English otherwise. One rule, so both always agree.</summary>
public static class PageLanguage
{
    public static bool IsFrench(string? lang)
    {
        var tag = lang?.Trim();
        return tag is not null && (tag.Equals("fr", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("fr-", StringComparison.OrdinalIgnoreCase));
    }
}
