using ServerlessComments.Adapters.Queues;
using ServerlessComments.PersonalData;

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
        var erased = services.GetRequiredService<ErasedAddresses>();
        // A comment whose author's data was erased since it failed is deleted, not replayed
        // (processing would drop it too, but the message itself carries the address and IP).
        async Task<bool> Erased(string message, CancellationToken ct)
        {
            try
            {
                var comment = await queues.ReadCommentAsync(message, ct);
                if (!await erased.CoversAsync(comment, ct))
                    return false;
                await queues.CompleteCommentAsync(comment, ct);
                return true;
            }
            catch (InvalidDataException)
            {
                return false; // not a comment: replayed as it is, and fails again where it belongs
            }
        }
        // Comments first: replaying them may queue emails of their own.
        foreach (var (poison, target, drop) in new[] { (queues.CommentsPoison, queues.Comments, (Func<string, CancellationToken, Task<bool>>?)Erased), (queues.NotificationsPoison, queues.Notifications, null) })
        {
            var moved = await PoisonReplay.ReplayAsync(poison, target, limit, cancellationToken, drop);
            Console.WriteLine($"Replayed {moved} message(s) from '{poison.Name}' to '{target.Name}'.");
        }
        return 0;
    });
}
