namespace ServerlessComments.Texts;

/// <summary>
/// CLDR's plural category of a count (one, few, many, other…) for the languages there are strings
/// files for, so the server picks the same form as the widget's <c>Intl.PluralRules</c>. Counts are
/// whole numbers, so only the integer parts of CLDR's rules are here (CLDR 48, supplemental/plurals.json;
/// a test checks every rule against the ICU of Node for 0…2,000 and the millions). .NET has no plural
/// rules, and the only ICU port on NuGet (ICU4N) is a pre-release of ICU 60, older than the "many"
/// of French, Spanish, Italian and Portuguese.
/// </summary>
public static class PluralRules
{
    private static readonly Dictionary<string, (string[] Categories, Func<long, string> Select)> Rules = new(StringComparer.Ordinal)
    {
        ["en"] = (["one", "other"], n => n == 1 ? "one" : "other"),
        ["de"] = (["one", "other"], n => n == 1 ? "one" : "other"),
        ["nl"] = (["one", "other"], n => n == 1 ? "one" : "other"),
        // "1 000 000 de commentaires": the many of fr/es/it/pt is a non-zero multiple of a million.
        ["fr"] = (["one", "many", "other"], n => n is 0 or 1 ? "one" : Million(n) ? "many" : "other"),
        ["pt"] = (["one", "many", "other"], n => n is 0 or 1 ? "one" : Million(n) ? "many" : "other"),
        ["es"] = (["one", "many", "other"], n => n == 1 ? "one" : Million(n) ? "many" : "other"),
        ["it"] = (["one", "many", "other"], n => n == 1 ? "one" : Million(n) ? "many" : "other"),
        // Fractions are pl's "other": whole numbers are one, few or many.
        ["pl"] = (["one", "few", "many", "other"], n => n == 1 ? "one"
            : n % 10 is >= 2 and <= 4 && n % 100 is not (>= 12 and <= 14) ? "few" : "many"),
        ["ja"] = (["other"], _ => "other"),
        ["zh"] = (["other"], _ => "other"),
    };

    private static bool Million(long n) => n != 0 && n % 1_000_000 == 0;

    /// <summary>The languages with rules here.</summary>
    public static IReadOnlyCollection<string> Languages => Rules.Keys;

    /// <summary>Every category CLDR gives the language (a strings file's plural object has these, and "none").</summary>
    public static IReadOnlyList<string> Categories(string lang) => Rules[PickRules(lang)].Categories;

    /// <summary>The category of <paramref name="count"/> (a whole number, not negative) in <paramref name="lang"/>.</summary>
    public static string Select(string lang, long count) => Rules[PickRules(lang)].Select(Math.Abs(count));

    private static string PickRules(string lang) => Rules.ContainsKey(lang) ? lang : PageLanguage.Fallback;
}
