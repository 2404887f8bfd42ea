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

    public void Skip(string reason) => Skipped[reason] = Skipped.GetValueOrDefault(reason) + 1;

    public override string ToString()
    {
        var skipped = Skipped.Count == 0 ? "0" : $"{Skipped.Values.Sum()} ({string.Join(", ", Skipped.Select(s => $"{s.Key}: {s.Value}"))})";
        return $"{(DryRun ? "Dry run, nothing written. " : "")}Read {Read} comment(s): imported {Imported}, already there {AlreadyThere}, " +
               $"skipped {skipped}, orphans made top-level {Orphans}, truncated {Truncated}; {Threads} thread(s).";
    }
}
