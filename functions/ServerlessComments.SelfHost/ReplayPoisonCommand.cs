using ServerlessComments.Storage;

namespace ServerlessComments.SelfHost;

/// <summary>
/// <c>ServerlessComments.SelfHost replay-poison [--limit N]</c>: moves comments that failed
/// <c>maxDequeueCount</c> times from the poison queue back to the comment queue. It reads the
/// same settings as the app (<c>AzureWebJobsStorage</c>, <c>Storage__CommentQueue</c>), so it
/// works against Azurite and against the storage account of a deployed Function App.
/// </summary>
public static class ReplayPoisonCommand
{
    public const string Name = "replay-poison";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddFunctionsHostSettings();
        builder.Services.AddCommentServices(builder.Configuration);
        using var host = builder.Build();

        int? limit = int.TryParse(builder.Configuration["limit"], out var n) && n > 0 ? n : null;
        var queue = host.Services.GetRequiredService<CommentQueue>();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var moved = await PoisonReplay.ReplayAsync(queue.PoisonQueue, queue.Queue, limit, cancel.Token);
        Console.WriteLine($"Replayed {moved} message(s) from '{queue.PoisonQueue.Name}' to '{queue.Queue.Name}'.");
        return 0;
    }
}
