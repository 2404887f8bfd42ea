using System.Diagnostics;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Import;

namespace ServerlessComments.SelfHost;

/// <summary><c>ServerlessComments.SelfHost import --format wxr|disqus|json FILE …</c>: brings
/// comments from a WordPress or Disqus export, or this product's own, into the storage the
/// settings name, with a progress line on standard error and the summary at the end.</summary>
public static class ImportCommand
{
    public const string Name = "import";
    /// <summary>The exit code of a file that gave nothing to store (1: a broken file; 2: a usage error).</summary>
    public const int NothingFound = 3;

    internal static Task<int> RunAsync(VerbArgs args)
    {
        var format = args.Get("format") ?? throw new UsageException("--format is required.");
        if (!ImportFormat.All.Contains(format))
            throw new UsageException($"--format must be {string.Join(", ", ImportFormat.All)}.");
        if (args.Files is not [var path])
            throw new UsageException("Name the file to import.");
        var map = args.Get("map") ?? "path";
        if (!Enum.TryParse<ThreadMapping>(map, ignoreCase: true, out var mapping) || int.TryParse(map, out _))
            throw new UsageException("--map must be path, url or identifier.");
        var pingbacks = args.Get("pingbacks") ?? "skip";
        if (pingbacks is not ("import" or "skip"))
            throw new UsageException("--pingbacks must be import or skip.");
        var rewrites = new List<(string, string)>();
        foreach (var rewrite in args.All("rewrite"))
            rewrites.Add(ImportOptions.ParseRewrite(rewrite) ?? throw new UsageException($"--rewrite takes OLD=NEW, not '{rewrite}'."));
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"There is no file {path}.");
            return Task.FromResult(1);
        }
        var options = new ImportOptions
        {
            Format = format, Map = mapping, Rewrites = rewrites, ImportPingbacks = pingbacks == "import",
            DryRun = args.Has("dry-run") && args.Get("dry-run") != "false", Lang = args.Get("lang"),
        };

        return Command.RunAsync(args.Settings, async (services, _, cancellationToken) =>
        {
            if (!options.DryRun)
                await StorageReady(services, cancellationToken);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            var clock = Stopwatch.StartNew();
            TimeSpan? viewsFrom = null;
            try
            {
                var summary = await services.GetRequiredService<ImportingComments>().ImportAsync(file, options, cancellationToken, (s, stage) =>
                {
                    if (stage == "views")
                    {
                        viewsFrom ??= clock.Elapsed;
                        Console.Error.Write($"\rRebuilding thread views…{new string(' ', 60)}");
                    }
                    else
                        Console.Error.Write($"\r{Bar(file)} read {s.Read:N0}, imported {s.Imported:N0}, already there {s.AlreadyThere:N0}, skipped {s.Skipped.Values.Sum():N0}   ");
                });
                Console.Error.WriteLine();
                Console.WriteLine(summary);
                if (summary.NothingFound)
                {
                    Console.Error.WriteLine($"{path}: {summary.Why()}");
                    return NothingFound;
                }
                var views = viewsFrom is { } from ? $"; views of the threads {(clock.Elapsed - from).TotalSeconds:N1} s" : "";
                Console.WriteLine($"Took {clock.Elapsed.TotalSeconds:N1} s ({summary.Read / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} comments/s{views}).");
                return 0;
            }
            catch (ImportFileException e)
            {
                Console.Error.WriteLine();
                Console.Error.WriteLine($"{path}: {e.Message}");
                if (e.Summary is { } stored)
                    Console.WriteLine(stored);
                Console.Error.WriteLine("What came before that point was stored (the summary says what); fix the file and import it again to finish (comments already stored are skipped).");
                return 1;
            }
        });
    }

    /// <summary>How far into the file: a bar of 20.</summary>
    private static string Bar(FileStream file)
    {
        var done = file.Length == 0 ? 1 : Math.Clamp((double)file.Position / file.Length, 0, 1);
        var filled = (int)(done * 20);
        return $"[{new string('#', filled)}{new string('.', 20 - filled)}] {done:P0}";
    }

    /// <summary>The table and view container, created if missing (a fresh Azurite).</summary>
    internal static async Task StorageReady(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<CommentTable>().Client.CreateIfNotExistsAsync(cancellationToken);
        await services.GetRequiredService<BlobThreadViews>().Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}

/// <summary><c>ServerlessComments.SelfHost export --format json|wxr|disqus [FILE|-]</c>.</summary>
public static class ExportCommand
{
    public const string Name = "export";

    internal static Task<int> RunAsync(VerbArgs args)
    {
        var format = args.Get("format") ?? throw new UsageException("--format is required.");
        if (!Export.ExportFormat.All.Contains(format))
            throw new UsageException($"--format must be {string.Join(", ", Export.ExportFormat.All)}.");
        var path = args.Files is [var f] ? f : "-";
        var blogUrl = args.Get("blog-url");
        if (format != Export.ExportFormat.Json && blogUrl is null)
            Console.Error.WriteLine("No --blog-url: pages whose comments did not record their URL get links relative to nothing.");
        return Command.RunAsync(args.Settings, async (services, _, cancellationToken) =>
        {
            await ImportCommand.StorageReady(services, cancellationToken);
            await using var output = path == "-" ? Console.OpenStandardOutput() : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var n = await services.GetRequiredService<Export.SiteExport>().WriteAsync(format, output, blogUrl, cancellationToken);
            Console.Error.WriteLine($"Exported {n:N0} comment(s){(path == "-" ? "" : " to " + path)}.");
            return 0;
        });
    }
}
