namespace ServerlessComments.SelfHost;

/// <summary>One verb of the binary: its name, what it does, its options (name → takes a value),
/// how many file arguments it takes, and what it runs.</summary>
internal sealed record Verb(string Name, string Usage, string Summary, IReadOnlyDictionary<string, bool> Options, int MaxFiles,
    Func<VerbArgs, Task<int>> Run);

/// <summary>A verb's arguments once checked: options (a repeated one keeps every value), files, and
/// configuration overrides (<c>--Section:Key=value</c>), which go to the app's settings.</summary>
internal sealed record VerbArgs(Dictionary<string, List<string>> Options, List<string> Files, string[] Settings)
{
    public string? Get(string name) => Options.TryGetValue(name, out var values) ? values[^1] : null;
    public bool Has(string name) => Options.ContainsKey(name);
    public IReadOnlyList<string> All(string name) => Options.TryGetValue(name, out var values) ? values : [];
}

/// <summary>
/// The binary's command line: with no arguments, or with the host's own (<c>--urls …</c>,
/// <c>--Key=value</c>, <c>Key=value</c>), it serves; the first word names a verb otherwise. An
/// unknown verb or option prints the usage and exits 2, rather than starting a server nobody asked for.
/// </summary>
internal static class Verbs
{
    public const int UsageError = 2;

    public static readonly Verb[] All =
    [
        new(ReplayPoisonCommand.Name, "replay-poison [--limit N]",
            "Moves failed comments and emails from the poison queues back to their queues.",
            new Dictionary<string, bool> { ["limit"] = true }, 0, ReplayPoisonCommand.RunAsync),
        new(RebuildViewsCommand.Name, "rebuild-views",
            "Rebuilds every thread's public view and the owner's list from the stored comments.",
            new Dictionary<string, bool>(), 0, RebuildViewsCommand.RunAsync),
        new(ImportCommand.Name, "import --format wxr|disqus|json FILE [--dry-run] [--map path|url|identifier] [--rewrite OLD=NEW]... [--pingbacks import|skip] [--lang en|fr]",
            "Imports comments from a WordPress export (WXR), a Disqus export or this product's JSON export. No email is sent. Safe to repeat.",
            new Dictionary<string, bool> { ["format"] = true, ["dry-run"] = false, ["map"] = true, ["rewrite"] = true, ["pingbacks"] = true, ["lang"] = true }, 1,
            ImportCommand.RunAsync),
        new(ExportCommand.Name, "export --format json|wxr|disqus [--blog-url URL] [FILE|-]",
            "Exports every comment (to FILE, or to standard output with - or no FILE).",
            new Dictionary<string, bool> { ["format"] = true, ["blog-url"] = true }, 1, ExportCommand.RunAsync),
        new(HealthCommand.Name, "health [--url URL]",
            "Asks a running server's /api/health: exit 0 when healthy, 1 otherwise (the container's health check).",
            new Dictionary<string, bool> { ["url"] = true }, 0, HealthCommand.RunAsync),
    ];

    /// <summary>Null: serve (the arguments are the host's). Otherwise the exit code of the verb or of the usage error.</summary>
    public static async Task<int?> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
        {
            Console.Out.WriteLine(Usage());
            return 0;
        }
        if (args.Length == 0 || IsHostArgument(args[0]))
            return null;
        var verb = All.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
            return Fail($"Unknown verb '{args[0]}'.", null);
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            Console.Out.WriteLine(VerbUsage(verb));
            return 0;
        }
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var files = new List<string>();
        var settings = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "-" || !arg.StartsWith('-'))
            {
                files.Add(arg);
                continue;
            }
            var name = arg.TrimStart('-');
            string? inline = null;
            if (name.IndexOf('=') is var eq and > 0)
                (name, inline) = (name[..eq], name[(eq + 1)..]);
            if (inline is not null && (name.Contains(':') || name.Contains("__")))
            {
                settings.Add(arg); // a setting of the app, as the server takes them
                continue;
            }
            if (!verb.Options.TryGetValue(name, out var takesValue))
                return Fail($"Unknown option '{arg}' for {verb.Name}.", verb);
            string value;
            if (!takesValue)
                value = inline is null ? "true" : inline;
            else if (inline is not null)
                value = inline;
            else if (i + 1 < args.Length)
                value = args[++i];
            else
                return Fail($"Option --{name} needs a value.", verb);
            (options.TryGetValue(name, out var list) ? list : options[name] = []).Add(value);
        }
        if (files.Count > verb.MaxFiles)
            return Fail($"Too many arguments: {string.Join(' ', files)}.", verb);
        try
        {
            return await verb.Run(new VerbArgs(options, files, settings.ToArray()));
        }
        catch (UsageException e)
        {
            return Fail(e.Message, verb);
        }
    }

    /// <summary>What the host itself takes: <c>--urls x</c>, <c>--Key=value</c>, <c>Key=value</c>, <c>/Key=value</c>.</summary>
    private static bool IsHostArgument(string arg) => arg.StartsWith('-') || arg.StartsWith('/') || arg.Contains('=');

    private static int Fail(string message, Verb? verb)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine();
        Console.Error.WriteLine(verb is null ? Usage() : VerbUsage(verb));
        return UsageError;
    }

    public static string Usage() =>
        "Usage: ServerlessComments.SelfHost [--urls URL] [--Section:Key=value ...]   serve the API (the default)\n" +
        "       ServerlessComments.SelfHost VERB [options]                            run one task and exit\n\nVerbs:\n" +
        string.Join('\n', All.Select(v => $"  {v.Usage}\n      {v.Summary}")) +
        "\n\nEvery verb reads the app's settings (AzureWebJobsStorage, Storage__*), so it works against Azurite or a deployed app's storage.\n" +
        "'VERB --help' describes one verb.";

    private static string VerbUsage(Verb verb) =>
        $"Usage: ServerlessComments.SelfHost {verb.Usage}\n\n{verb.Summary}\n" + (verb.Name switch
        {
            ImportCommand.Name => """

                  --format wxr|disqus|json   the file's format (WordPress Tools → Export, Disqus export, or this product's export)
                  --dry-run                  read the whole file and print the summary; write nothing
                  --map path|url|identifier  the thread of a page: its path, as the widget's data-thread defaults to (default),
                                             its full URL, or its Disqus identifier
                  --rewrite OLD=NEW          replace a page URL's or thread's prefix: an old domain or path (repeatable)
                  --pingbacks import|skip    pingbacks and trackbacks (default: skip)
                  --lang en|fr               the site's language, for names the file lacks ("Anonymous")

                A file that fails half-way can be imported again: comments already stored are found and skipped.
                """,
            ExportCommand.Name => """

                  --format json|wxr|disqus   json: everything, re-importable; wxr: for WordPress's importer; disqus: Disqus's import format
                  --blog-url URL             the blog's address, for page links (comments that recorded their page's URL use it)
                """,
            _ => "",
        }) + "\nApp settings may follow as --Section:Key=value.";
}

/// <summary>A verb's arguments are wrong: the usage is printed.</summary>
internal sealed class UsageException(string message) : Exception(message);
