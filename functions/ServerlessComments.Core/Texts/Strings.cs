using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessComments.Texts;

/// <summary>
/// Every string people read, from one file per language (<c>Texts/strings/*.json</c>): the
/// widget's (section <c>widget</c>, sent to browsers as is), validation messages (<c>reader</c>),
/// emails (<c>email</c>) and the pages behind email links (<c>pages</c>). Placeholders are named,
/// <c>{author}</c>; numbers are written in the language's own way.
/// </summary>
public sealed partial class Strings
{
    private static readonly Dictionary<string, JsonObject> Files = LoadFiles();
    private static readonly Dictionary<string, Strings> ByLanguage =
        Files.ToDictionary(f => f.Key, f => new Strings(f.Key, f.Value), StringComparer.Ordinal);

    private readonly JsonObject _file;

    private Strings(string lang, JsonObject file)
    {
        Lang = lang;
        Culture = CultureInfo.GetCultureInfo(lang);
        _file = file;
    }

    /// <summary>The languages there is a file for, e.g. en and fr.</summary>
    public static IReadOnlyCollection<string> Languages => Files.Keys;

    public string Lang { get; }
    public CultureInfo Culture { get; }

    /// <summary>The strings for a page's language tag (see <see cref="PageLanguage"/>).</summary>
    public static Strings For(string? lang) => ByLanguage[PageLanguage.Pick(lang)];

    /// <summary>One section of every language's file, e.g. the widget's strings for the browser.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Section(string section) =>
        Files.ToDictionary(f => f.Key, f => f.Value[section]?.DeepClone() as JsonObject ?? [], StringComparer.Ordinal);

    /// <summary>The text of <paramref name="key"/> in <paramref name="section"/>, placeholders filled.
    /// A key missing from this language falls back to English, so a new string never breaks a page.</summary>
    public string Get(string section, string key, params (string Name, object Value)[] values)
    {
        var text = (_file[section]?[key] ?? Files[PageLanguage.Fallback][section]?[key])?.GetValue<string>()
                   ?? throw new KeyNotFoundException($"No string {section}.{key} in strings/{PageLanguage.Fallback}.json.");
        if (values.Length == 0)
            return text;
        // One pass, so that a value (a reader's name) containing "{title}" is never filled in itself.
        return Placeholder().Replace(text, m =>
        {
            foreach (var (name, value) in values)
            {
                if (name == m.Groups[1].Value)
                    return value is int or long ? ((IFormattable)value).ToString("N0", Culture) : Convert.ToString(value, Culture) ?? "";
            }
            return m.Value;
        });
    }

    /// <summary>A count's words, e.g. <c>widget.count</c> with <paramref name="count"/> = 5 in Polish,
    /// "5 komentarzy": "none" for zero when the file has it, else the CLDR category's form (see
    /// <see cref="PluralRules"/>), else "other". The same choice as the widget's <c>countText</c>.</summary>
    public string Count(string section, string key, long count)
    {
        var forms = (_file[section]?[key] ?? Files[PageLanguage.Fallback][section]?[key]) as JsonObject
                    ?? throw new KeyNotFoundException($"No plural forms {section}.{key} in strings/{Lang}.json.");
        var form = (count == 0 ? forms["none"] : null) ?? forms[PluralRules.Select(Lang, count)] ?? forms["other"];
        return Placeholder().Replace(form!.GetValue<string>(), m => m.Groups[1].Value == "n" ? count.ToString("N0", Culture) : m.Value);
    }

    public string Reader(string key, params (string Name, object Value)[] values) => Get("reader", key, values);
    public string Email(string key, params (string Name, object Value)[] values) => Get("email", key, values);
    public string Page(string key, params (string Name, object Value)[] values) => Get("pages", key, values);

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\w+)\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    private static Dictionary<string, JsonObject> LoadFiles()
    {
        var assembly = typeof(Strings).Assembly;
        var files = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("strings/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            files[Path.GetFileNameWithoutExtension(name)] = JsonNode.Parse(stream)!.AsObject();
        }
        if (!files.ContainsKey(PageLanguage.Fallback))
            throw new InvalidOperationException("strings/en.json is missing from the build: it is the fallback language.");
        return files;
    }
}
