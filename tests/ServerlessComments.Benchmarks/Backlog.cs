using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessComments.Comments;
using ServerlessComments.Testing;

namespace ServerlessComments.Benchmarks;

/// <summary>What the drain benchmarks share: filling a queue with a backlog, the raw baseline that
/// drains one, and a thread's published count.</summary>
public static class Backlog
{
    public static readonly QueueClientOptions Base64 = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>Sends <paramref name="count"/> comments, all invisible until one instant, so a clock
    /// can start with a full queue.</summary>
    /// <returns>When they turn visible.</returns>
    public static async Task<DateTimeOffset> FillAsync(QueueClient queue, int count, Func<int, CommentSubmission> submission, TimeSpan invisibleFor)
    {
        var visibleAt = DateTimeOffset.UtcNow + invisibleFor;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var delay = visibleAt - DateTimeOffset.UtcNow;
            await queue.SendMessageAsync(BinaryData.FromObjectAsJson(submission(i), CommentJson.Options),
                visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: ct);
        });
        if (invisibleFor > TimeSpan.Zero && DateTimeOffset.UtcNow > visibleAt)
            throw new InvalidOperationException("Filling the queue took longer than the invisibility window.");
        return visibleAt;
    }

    /// <summary>The baseline: a queue of <paramref name="count"/> comments drained by the plainest
    /// loop (receive 16, the host's batch size; insert and delete those in parallel; repeat) in the
    /// same storage.</summary>
    public static async Task<TimeSpan> RawDrainAsync(string storage, string name, int count, Func<int, CommentSubmission> submission)
    {
        var rawQueue = new QueueClient(storage, "bench-raw-" + name, Base64);
        await rawQueue.CreateIfNotExistsAsync();
        var rawTable = new TableClient(storage, "benchraw" + name.Replace("-", "", StringComparison.Ordinal));
        await rawTable.CreateIfNotExistsAsync();
        await FillAsync(rawQueue, count, submission, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        for (var drained = 0; drained < count;)
        {
            var batch = (await rawQueue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(1))).Value;
            await Task.WhenAll(batch.Select(async message =>
            {
                var comment = message.Body.ToObjectFromJson<CommentSubmission>(CommentJson.Options)!;
                await rawTable.AddEntityAsync(new TableEntity(ThreadKey.For(comment.Thread), comment.Id)
                {
                    ["Thread"] = comment.Thread, ["Author"] = comment.Author, ["Email"] = comment.Email, ["Body"] = comment.Body,
                    ["CreatedAt"] = comment.CreatedAt, ["Status"] = "published",
                });
                await rawQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }));
            drained += batch.Length;
        }
        return clock.Elapsed;
    }

    public static async Task<int> CountAsync(SelfHost host, string thread) =>
        (await host.Http.GetFromJsonAsync<JsonElement>("api/comments/count?thread=" + Uri.EscapeDataString(thread)))
        .GetProperty("counts").GetProperty(thread).GetInt32();
}
