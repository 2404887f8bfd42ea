namespace ServerlessComments.Import;

/// <summary>How an imported comment's page becomes a thread.</summary>
public enum ThreadMapping
{
    /// <summary>The page's path, as the widget derives its thread by default (<c>location.pathname</c>).</summary>
    Path,
    /// <summary>The page's full URL, for pages whose <c>data-thread</c> is their address.</summary>
    Url,
    /// <summary>The Disqus identifier (for WordPress, "post id, space, guid", as its Disqus plugin named threads); the path when there is none.</summary>
    Identifier,
}

/// <summary>The owner's choices for one import.</summary>
public sealed record ImportOptions
{
    public string Format { get; init; } = ImportFormat.Wxr;
    public ThreadMapping Map { get; init; } = ThreadMapping.Path;
    /// <summary>Old prefix → new prefix, tried in order on the page's URL and then on the thread
    /// (an old domain, <c>https://old.example.com=https://blog.example.com</c>, or a path, <c>/blog/=/</c>).</summary>
    public IReadOnlyList<(string Old, string New)> Rewrites { get; init; } = [];
    /// <summary>Pingbacks and trackbacks are imported (as comments, their reasons saying which) instead of skipped.</summary>
    public bool ImportPingbacks { get; init; }
    /// <summary>Read and count, write nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>The site's language, for names an import has to fill in (no name: "Anonymous").</summary>
    public string? Lang { get; init; }

    /// <summary>Parses <c>OLD=NEW</c>; null when it is not of that shape.</summary>
    public static (string Old, string New)? ParseRewrite(string text)
    {
        var at = text.IndexOf('=');
        return at > 0 ? (text[..at], text[(at + 1)..]) : null;
    }
}

/// <summary>Why an imported comment was not stored.</summary>
public static class SkipReason
{
    public const string Trash = "trash";
    public const string Deleted = "deleted";
    public const string Pingback = "pingback";
    public const string Trackback = "trackback";
    public const string Empty = "empty";
    public const string NoPage = "no page";
    public const string BadThread = "bad thread";
    public const string Duplicate = "duplicate in file";
    public const string NoDate = "no date";
    public const string NoId = "no id";
    /// <summary>A text with lone surrogates or Unicode noncharacters, refused as a posted one is.</summary>
    public const string BrokenText = "broken Unicode";
    /// <summary>A JSON comment whose id is another thread's comment: never taken over.</summary>
    public const string IdElsewhere = "id of another thread's comment";

    /// <summary>A comment type that is not public conversation, named as the file names it
    /// (cleaned and shortened: the file is untrusted, and the summary is shown to the owner).</summary>
    public static string Type(string? type)
    {
        var name = new string((type ?? "").Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.').Take(40).ToArray());
        return "type " + (name.Length > 0 ? name : "?");
    }
}

/// <summary>What an import did (or, dry, would do).</summary>
public sealed class ImportSummary
{
    public bool DryRun { get; init; }
    /// <summary>Comments read from the file.</summary>
    public int Read { get; set; }
    /// <summary>Comments stored now (a dry run: that would be stored, unless already there).</summary>
    public int Imported { get; set; }
    /// <summary>Comments the store had already (a re-import, an overlapping file).</summary>
    public int AlreadyThere { get; set; }
    /// <summary>Replies whose parent the file does not hold (or skipped): stored as top-level comments.</summary>
    public int Orphans { get; set; }
    /// <summary>Texts longer than the limit for comments, cut at it.</summary>
    public int Truncated { get; set; }
    public int Threads { get; set; }
    public SortedDictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

    /// <summary>At most this many reasons are told apart; the rest are counted together (a hostile
    /// file could name a new comment type on every comment).</summary>
    public const int MaxReasons = 30;
    public const string OtherReasons = "other reasons";

    /// <summary>The file's root element and the namespace it declares (for WXR, the one of its
    /// <c>wp:</c> prefix), so that a file that yields nothing can say what it saw.</summary>
    public string? Root { get; set; }
    public string? Namespace { get; set; }
    /// <summary>Replies not stored because the file broke before their parent came (a second run
    /// of the fixed file stores them under it).</summary>
    public int HeldBack { get; set; }
    /// <summary>Where and why the file broke, when it did; what came before was stored.</summary>
    public string? Fault { get; set; }

    public void Skip(string reason)
    {
        var key = Skipped.ContainsKey(reason) || Skipped.Count < MaxReasons ? reason : OtherReasons;
        Skipped[key] = Skipped.GetValueOrDefault(key) + 1;
    }

    /// <summary>True when the file gave nothing to store: no comment read, or every one skipped.</summary>
    public bool NothingFound => Fault is null && Imported + AlreadyThere == 0;

    /// <summary>Why nothing was found, in plain words: the root, the namespace, the reasons counted.</summary>
    public string Why()
    {
        var saw = $"the root element is <{Root ?? "?"}>" + (Namespace is { Length: > 0 } ns ? $", the namespace '{XmlSource.Shorten(ns)}'" : ", no namespace");
        if (Read == 0)
            return $"Nothing to import: the file holds no comment this product can read ({saw}). " +
                   (Root == "rss" && !(Namespace is { } n && WxrReader.IsWpNamespace(n))
                       ? "A WordPress export declares xmlns:wp=\"http(s)://wordpress.org/export/1.x/\"; this file does not, so it is not one."
                       : "Is it the right file, and the right format?");
        return $"Nothing to import: all {Read} comment(s) read were skipped ({string.Join(", ", Skipped.Select(s => $"{s.Key}: {s.Value}"))}); {saw}.";
    }

    public override string ToString()
    {
        var skipped = Skipped.Count == 0 ? "0" : $"{Skipped.Values.Sum()} ({string.Join(", ", Skipped.Select(s => $"{s.Key}: {s.Value}"))})";
        return $"{(DryRun ? "Dry run, nothing written. " : "")}{(Fault is not null ? $"Stopped: {Fault} Stored what came before it. " : "")}" +
               $"Read {Read} comment(s): imported {Imported}, already there {AlreadyThere}, " +
               $"skipped {skipped}, orphans made top-level {Orphans}, truncated {Truncated}; {Threads} thread(s)" +
               (HeldBack > 0 ? $"; {HeldBack} repl(ies) whose parent comes after the fault not stored yet" : "") + ".";
    }
}
