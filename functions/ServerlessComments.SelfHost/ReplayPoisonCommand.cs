using ServerlessComments.Adapters.Queues;

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

    internal static Task<int> RunAsync(VerbArgs args)
    {
        int? limit = null;
        if (args.Get("limit") is { } text)
            limit = int.TryParse(text, out var n) && n > 0 ? n : throw new UsageException("--limit must be a positive number.");
        return RunAsync(args.Settings, limit);
    }

    private static Task<int> RunAsync(string[] settings, int? limit) => Command.RunAsync(settings, async (services, _, cancellationToken) =>
    {
        var queues = services.GetRequiredService<StorageJobQueue>();
        // Comments first: replaying them may queue emails of their own.
        foreach (var (poison, target) in new[] { (queues.CommentsPoison, queues.Comments), (queues.NotificationsPoison, queues.Notifications) })
        {
            var moved = await PoisonReplay.ReplayAsync(poison, target, limit, cancellationToken);
            Console.WriteLine($"Replayed {moved} message(s) from '{poison.Name}' to '{target.Name}'.");
        }
        return 0;
    });
}
