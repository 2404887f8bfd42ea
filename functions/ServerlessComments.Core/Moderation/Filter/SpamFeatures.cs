using System.Text.RegularExpressions;

namespace ServerlessComments.Moderation.Filter;

/// <summary>
/// What the filter looks at in a comment: its words and word pairs, the character 4-grams of its
/// words (which survive misspellings and inflections, "casin0", "commentaires"), and signals a
/// spammer cannot hide without losing the point of the comment: how many links, their domains,
/// characters repeated, scripts mixed in one word (Cyrillic letters among Latin ones), digits
/// and long names in the author field, and the author's own words (a name that is a keyword).
/// Each feature counts once per comment.
/// </summary>
public static partial class SpamFeatures
{
    /// <summary>Beyond this many characters the rest of a comment adds nothing but cost.</summary>
    public const int MaxChars = 4000;

    public static HashSet<string> Of(string author, string? website, string body)
    {
        var features = new HashSet<string>(StringComparer.Ordinal);
        var text = body.Length > MaxChars ? body[..MaxChars] : body;
        var lower = text.ToLowerInvariant();

        var words = Words().Matches(lower).Select(m => m.Value).Where(w => w.Length <= 40).ToList();
        for (var i = 0; i < words.Count; i++)
        {
            features.Add("w:" + words[i]);
            if (i > 0)
                features.Add("b:" + words[i - 1] + " " + words[i]);
            var padded = " " + words[i] + " ";
            for (var j = 0; j + 4 <= padded.Length; j++)
                features.Add("c:" + padded.Substring(j, 4));
        }
        if (words.Count <= 3)
            features.Add("short");

        var links = 0;
        foreach (Match link in Links().Matches(text))
        {
            links++;
            if (Host(link.Value) is { } host)
            {
                features.Add("d:" + host);
                features.Add("tld:" + host[(host.LastIndexOf('.') + 1)..]);
            }
        }
        if (links > 0)
            features.Add("links:" + Math.Min(links, 3));
        if (Uri.TryCreate(website, UriKind.Absolute, out var site) && site.Host.Length > 0)
        {
            features.Add("site");
            var registered = Registered(site.Host.ToLowerInvariant());
            features.Add("sd:" + registered);
            AddDomainWords(features, registered);
        }
        if (Repeated().IsMatch(text))
            features.Add("repeat");
        if (text.Count(c => c == '!') >= 3)
            features.Add("bangs");
        var letters = text.Count(char.IsLetter);
        if (letters >= 20 && text.Count(char.IsUpper) * 2 > letters)
            features.Add("caps");
        if (Regex.IsMatch(text, @"\d[\d \-.]{8,}\d"))
            features.Add("phone");
        if (Regex.IsMatch(text, @"\S@\S+\.\w"))
            features.Add("email-in-text");
        if (MixedScripts(text))
            features.Add("mixed-scripts");

        var name = author.ToLowerInvariant();
        foreach (Match w in Words().Matches(name))
            features.Add("a:" + w.Value);
        if (name.Any(char.IsDigit))
            features.Add("a-digits");
        if (Words().Matches(name).Count >= 4)
            features.Add("a-long");
        if (Links().IsMatch(name) || name.Contains(".com", StringComparison.Ordinal))
            features.Add("a-link");
        return features;
    }

    /// <summary>How a feature reads in the owner's reasons; null for those that mean nothing alone (4-grams).</summary>
    public static string? Describe(string feature) => feature switch
    {
        _ when feature.StartsWith("w:", StringComparison.Ordinal) => feature[2..],
        _ when feature.StartsWith("b:", StringComparison.Ordinal) => feature[2..],
        _ when feature.StartsWith("d:", StringComparison.Ordinal) => "link to " + feature[2..],
        _ when feature.StartsWith("tld:", StringComparison.Ordinal) => "link to ." + feature[4..],
        _ when feature.StartsWith("sd:", StringComparison.Ordinal) => "website " + feature[3..],
        _ when feature.StartsWith("a:", StringComparison.Ordinal) => "name \"" + feature[2..] + "\"",
        "links:1" => "1 link",
        "links:2" => "2 links",
        "links:3" => "3 links or more",
        "repeat" => "repeated characters",
        "bangs" => "!!!",
        "caps" => "capitals",
        "phone" => "phone number",
        "email-in-text" => "address in text",
        "mixed-scripts" => "mixed scripts",
        "a-digits" => "digits in name",
        "a-long" => "long name",
        "a-link" => "link as name",
        "site" => "website given",
        "short" => "very short",
        _ => null,
    };

    /// <summary>The words of the website's domain count as words of the comment (a link's are words of
    /// its text already): a spammer picks a domain for its keywords ("meilleur-casino-en-ligne.fr"),
    /// and an honest reader's is mostly a name.</summary>
    private static void AddDomainWords(HashSet<string> features, string registered)
    {
        var name = registered[..registered.LastIndexOf('.')];
        foreach (var part in name.Split(['-', '.', '_'], StringSplitOptions.RemoveEmptyEntries))
            if (part.Length >= 3 && part.All(char.IsLetter))
                features.Add("w:" + part);
    }

    private static string? Host(string link)
    {
        var candidate = link.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "http://" + link : link;
        return Uri.TryCreate(candidate.TrimEnd('.', ',', ')', '!', '?'), UriKind.Absolute, out var uri) && uri.Host.Contains('.')
            ? Registered(uri.Host.ToLowerInvariant())
            : null;
    }

    /// <summary>The host without "www." and deeper labels than the last two (three for a short
    /// second-level label like co.uk), so that every sub-domain of a spam domain counts as it.</summary>
    private static string Registered(string host)
    {
        var labels = host.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length <= 2)
            return string.Join('.', labels);
        var take = labels[^2].Length <= 3 && labels[^1].Length == 2 ? 3 : 2;
        return string.Join('.', labels[^take..]);
    }

    /// <summary>A word whose letters come from more than one script (Latin, Cyrillic, Greek): a
    /// homoglyph trick ("саsino" with Cyrillic с and а) that no honest writer makes.</summary>
    private static bool MixedScripts(string text)
    {
        foreach (Match word in Words().Matches(text))
        {
            var scripts = 0;
            foreach (var c in word.Value)
            {
                if (!char.IsLetter(c))
                    continue;
                scripts |= c switch
                {
                    < '\u0250' => 1,
                    >= '\u0370' and < '\u0400' => 2,
                    >= '\u0400' and < '\u0530' => 4,
                    _ => 8,
                };
            }
            if (scripts is not (0 or 1 or 2 or 4 or 8))
                return true;
        }
        return false;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Links();

    [GeneratedRegex(@"(\S)\1{3,}", RegexOptions.CultureInvariant)]
    private static partial Regex Repeated();
}
