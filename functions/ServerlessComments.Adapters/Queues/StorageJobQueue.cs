using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Processing;

namespace ServerlessComments.Adapters.Queues;

/// <summary>
/// The app's two queues in Azure Queue Storage: comments for the processor, emails for the
/// sender, each with the poison queue the trigger moves failed messages to. A queue message is at
/// most 64 KiB once base64-encoded, and a valid comment can be larger (10,000 emoji, with a long
/// website and page title); such a comment travels in a blob of the <c>comment-payloads</c>
/// container, the message carrying only its name, and the blob is deleted once the comment is stored.
/// </summary>
public sealed class StorageJobQueue(QueueServiceClient queues, BlobServiceClient blobs, IOptions<StorageOptions> options) : IJobQueue
{
    /// <summary>The most a message may hold before base64 (4/3) takes it past 64 KiB.</summary>
    public const int MaxMessageBytes = 64 * 1024 / 4 * 3;
    public const string PayloadContainer = "comment-payloads";

    public BlobContainerClient Payloads { get; } = blobs.GetBlobContainerClient(PayloadContainer);

    /// <summary>Messages this app sends never expire (Azure's default is 7 days): an accepted comment
    /// waiting out an Akismet outage, or an email waiting for SendGrid, must not vanish unnoticed.</summary>
    public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>How many messages wait in each poison queue (0 when it does not exist).</summary>
    public async Task<IReadOnlyDictionary<string, int>> PoisonDepthsAsync(CancellationToken cancellationToken)
    {
        var depths = new Dictionary<string, int>();
        foreach (var (name, queue) in new[] { ("comments", CommentsPoison), ("notifications", NotificationsPoison) })
        {
            try
            {
                depths[name] = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                depths[name] = 0;
            }
        }
        return depths;
    }

    public QueueClient Comments { get; } = queues.GetQueueClient(options.Value.CommentQueue);
    public QueueClient CommentsPoison { get; } = queues.GetQueueClient(StorageOptions.PoisonQueueOf(options.Value.CommentQueue));
    public QueueClient Notifications { get; } = queues.GetQueueClient(options.Value.NotificationQueue);
    public QueueClient NotificationsPoison { get; } = queues.GetQueueClient(StorageOptions.PoisonQueueOf(options.Value.NotificationQueue));

    public async Task EnqueueCommentAsync(CommentSubmission comment, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var json = BinaryData.FromObjectAsJson(comment, CommentJson.Options);
        if (json.ToMemory().Length <= MaxMessageBytes)
        {
            await SendAsync(Comments, json, delay, cancellationToken);
            return;
        }
        // Too large for a message: the comment goes in a blob first, so the message never names nothing.
        // An author's edit has a payload of its own: the comment's, or another edit's, may be waiting too.
        var name = comment.Id + (comment.EditAt is { } edit ? "-edit-" + edit.ToUnixTimeMilliseconds() : "") + ".json";
        try
        {
            await Payloads.GetBlobClient(name).UploadAsync(json, overwrite: true, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
            await Payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await Payloads.GetBlobClient(name).UploadAsync(json, overwrite: true, cancellationToken);
        }
        await SendAsync(Comments, BinaryData.FromObjectAsJson(new PayloadReference(comment.Id, comment.Thread, name), CommentJson.Options), delay, cancellationToken);
    }

    public async Task<CommentSubmission> ReadCommentAsync(string message, CancellationToken cancellationToken)
    {
        PayloadReference? reference = null;
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("payload", out _))
                reference = document.RootElement.Deserialize<PayloadReference>(CommentJson.Options);
        }
        catch (JsonException)
        {
            // Not JSON: the core says so, below.
        }
        if (reference is null)
            return CommentProcessing.Parse(message);
        try
        {
            var content = (await Payloads.GetBlobClient(reference.Payload).DownloadContentAsync(cancellationToken)).Value.Content;
            return CommentProcessing.Parse(content.ToString()) with { QueueReceipt = reference.Payload };
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new InvalidDataException($"The queue message names the payload {reference.Payload}, which is not there (comment {reference.Id}).");
        }
    }

    public async Task CompleteCommentAsync(CommentSubmission comment, CancellationToken cancellationToken)
    {
        if (comment.QueueReceipt is { } name)
            await Payloads.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    private sealed record PayloadReference(string Id, string Thread, string Payload);

    /// <summary>How long a scan keeps the messages it read out of the listener's sight.</summary>
    private static readonly TimeSpan ScanLease = TimeSpan.FromMinutes(2);

    public async Task<int> ForgetCommentsAsync(string email, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        foreach (var queue in new[] { Comments, CommentsPoison })
            forgotten += await ForgetCommentsAsync(queue, email, cancellationToken);
        // Payloads no message names any more (a crash between storing and clean-up).
        try
        {
            await foreach (var blob in Payloads.GetBlobsAsync(cancellationToken: cancellationToken))
            {
                var payload = Payloads.GetBlobClient(blob.Name);
                string text;
                try
                {
                    text = (await payload.DownloadContentAsync(cancellationToken)).Value.Content.ToString();
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    continue;
                }
                if (PayloadCarries(text, email))
                    await payload.DeleteIfExistsAsync(cancellationToken: cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
        }
        return forgotten;
    }

    /// <summary>Reads every visible message once: those carrying the address are deleted (with
    /// their payload), the others made visible again at once. Each message read counts one more
    /// delivery (Azure has no way to read past the first 32 without receiving), so the scan is
    /// for erasures only.</summary>
    private async Task<int> ForgetCommentsAsync(QueueClient queue, string email, CancellationToken cancellationToken)
    {
        if (!await queue.ExistsAsync(cancellationToken))
            return 0;
        var forgotten = 0;
        var kept = new List<(string Id, string PopReceipt)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var again = false;
            while (!again)
            {
                var messages = (await queue.ReceiveMessagesAsync(32, ScanLease, cancellationToken)).Value;
                if (messages.Length == 0)
                    break;
                foreach (var message in messages)
                {
                    // A long scan outlasts its lease: the first messages come round again, and the scan is done.
                    again |= !seen.Add(message.MessageId);
                    var text = message.Body.ToString();
                    var payload = PayloadOf(text);
                    bool carries;
                    try
                    {
                        // The comment's own address decides: not "joann@…" for "ann@…", nor another
                        // reader's comment that quotes the address.
                        var comment = await ReadCommentAsync(text, cancellationToken);
                        payload = comment.QueueReceipt ?? payload;
                        carries = SameAddress(comment.Email, email);
                    }
                    catch (InvalidDataException)
                    {
                        // Not a comment that can be read (its payload gone, or damaged): its text is all there is.
                        carries = Carries(text, email);
                    }
                    if (!carries)
                    {
                        kept.Add((message.MessageId, message.PopReceipt));
                        continue;
                    }
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    if (payload is not null)
                        await Payloads.GetBlobClient(payload).DeleteIfExistsAsync(cancellationToken: cancellationToken);
                    forgotten++;
                }
            }
        }
        finally
        {
            // Back in sight of the listener at once, as they were.
            foreach (var (id, popReceipt) in kept)
            {
                try
                {
                    await queue.UpdateMessageAsync(id, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 400)
                {
                    // Gone meanwhile, or received again (a newer receipt): visible again anyway.
                }
            }
        }
        return forgotten;
    }

    private static bool SameAddress(string? written, string email) =>
        string.Equals(written?.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>A payload left behind is a comment: its address decides; a damaged one, its text.</summary>
    private static bool PayloadCarries(string text, string email)
    {
        try
        {
            return SameAddress(CommentProcessing.Parse(text).Email, email);
        }
        catch (InvalidDataException)
        {
            return Carries(text, email);
        }
    }

    /// <summary>True when text that cannot be read as a comment holds the address anywhere, without case.</summary>
    private static bool Carries(string text, string email) => text.Contains(email.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string? PayloadOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("payload", out var p) &&
                   p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task EnqueueEmailAsync(NotificationJob job, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendJsonAsync(Notifications, job, delay, cancellationToken);

    public Task ParkEmailAsync(NotificationJob job, CancellationToken cancellationToken) =>
        SendJsonAsync(NotificationsPoison, job, null, cancellationToken);

    /// <summary>Sends <paramref name="value"/> as camelCase JSON, creating the queue if it is
    /// missing (only before the start-up initializer has run on a fresh account).</summary>
    private static Task SendJsonAsync<T>(QueueClient queue, T value, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(queue, BinaryData.FromObjectAsJson(value, CommentJson.Options), delay, cancellationToken);

    private static async Task SendAsync(QueueClient queue, BinaryData message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        try
        {
            await queue.SendMessageAsync(message, delay, NeverExpires, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(message, delay, NeverExpires, cancellationToken);
        }
    }
}
