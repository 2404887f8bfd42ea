using ServerlessComments.Notifications;
using ServerlessComments.Storage;

namespace ServerlessComments.SelfHost;

/// <summary>
/// <c>ServerlessComments.SelfHost replay-poison [--limit N]</c>: moves comments and emails that
/// failed <c>maxDequeueCount</c> times from their poison queues back to their queues. It reads the
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
        var comments = host.Services.GetRequiredService<CommentQueue>();
        var notifications = host.Services.GetRequiredService<NotificationQueue>();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        // Comments first: replaying them may queue emails of their own.
        foreach (var (poison, target) in new[] { (comments.PoisonQueue, comments.Queue), (notifications.PoisonQueue, notifications.Queue) })
        {
            var moved = await PoisonReplay.ReplayAsync(poison, target, limit, cancel.Token);
            Console.WriteLine($"Replayed {moved} message(s) from '{poison.Name}' to '{target.Name}'.");
        }
        return 0;
    }
}
