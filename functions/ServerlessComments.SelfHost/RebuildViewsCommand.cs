using ServerlessComments.Threads;

namespace ServerlessComments.SelfHost;

/// <summary>
/// <c>ServerlessComments.SelfHost rebuild-views</c>: builds every thread's public view and the
/// owner's list from the stored comments. Start-up does this once by itself for comments stored
/// by version 1; run it after changing <c>Threads__PageSize</c> or <c>Threads__MaxDepth</c>, or to
/// repair. Idempotent. Like replay-poison, it works against Azurite or a deployed app's storage.
/// </summary>
public static class RebuildViewsCommand
{
    public const string Name = "rebuild-views";

    internal static Task<int> RunAsync(VerbArgs args) => Command.RunAsync(args.Settings, async (services, _, cancellationToken) =>
    {
        var (comments, threads) = await services.GetRequiredService<ViewRebuild>().RunAsync(cancellationToken,
            (done, total) => Console.Write($"\rThreads: {done}/{total}"));
        Console.WriteLine($"\rRebuilt the views of {threads} thread(s) from {comments} comment(s).");
        return 0;
    });
}

/// <summary>A verb of the self-host binary: the app's services and settings, without the server.</summary>
internal static class Command
{
    public static async Task<int> RunAsync(string[] args, Func<IServiceProvider, IConfiguration, CancellationToken, Task<int>> run)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddFunctionsHostSettings();
        // Standard output may be the export itself: every log line goes to standard error.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddCommentServices(builder.Configuration);
        builder.Services.AddAzureStorage(builder.Configuration);
        builder.Services.AddAkismet(builder.Configuration);
        builder.Services.AddEmail(builder.Configuration);
        // The verbs build the core's services as the server does: an import keeps Gravatar rows.
        builder.Services.AddPictures();
        using var host = builder.Build();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        return await run(host.Services, builder.Configuration, cancel.Token);
    }
}
