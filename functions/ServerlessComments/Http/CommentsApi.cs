using System.Buffers;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Storage;

namespace ServerlessComments.Http;

/// <summary>
/// API v1, written once for both hosts: each method takes the ASP.NET Core request and returns
/// the answer. The Function App and the self-host only bind routes to these methods.
/// </summary>
public sealed class CommentsApi(
    CommentQueue queue,
    CommentStore store,
    TimeProvider clock,
    IOptions<NetworkOptions> network,
    IOptions<SpamOptions> spam,
    HealthReport health,
    ILogger<CommentsApi> logger)
{
    public const int MaxRequestBytes = 64 * 1024;
    public const int MaxThreadsPerCount = 50;

    public sealed record Accepted(string Id, string Thread, string Status);
    public sealed record ThreadCounts(IReadOnlyDictionary<string, int> Counts);

    /// <summary><c>POST /api/comments</c>: validate, refuse duplicates and floods, enqueue once,
    /// answer <c>202</c>. No third-party call happens here: the spam check runs in the processor.</summary>
    public async Task<IResult> PostCommentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
            return Problems.Field(Problems.WholeRequest, "Send the comment as JSON, with Content-Type: application/json.", StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > MaxRequestBytes)
            return TooLarge();

        var buffer = ArrayPool<byte>.Shared.Rent(MaxRequestBytes + 1);
        try
        {
            var length = await ReadAtMostAsync(request.Body, buffer, cancellationToken);
            if (length > MaxRequestBytes)
                return TooLarge();
            var (form, problem) = ParseForm(buffer.AsMemory(0, length));
            if (problem is not null)
                return problem;

            var acceptedAt = clock.GetUtcNow();
            var result = CommentValidator.Validate(form!, CommentId.New(acceptedAt), acceptedAt);
            if (!result.IsValid)
                return Problems.Fields(result.Errors);
            var client = ClientContext.From(request, network.Value.TrustForwardedHeaders);
            var comment = result.Submission! with
            {
                Ip = client.Ip,
                UserAgent = client.UserAgent,
                Referrer = client.Referrer,
                // A filled honeypot is judged spam later, while the bot still gets its 202.
                Honeypot = string.IsNullOrEmpty(form!.Hp) ? null : form.Hp.Length > 200 ? form.Hp[..200] : form.Hp,
            };

            if (comment.ParentId is not null && !await store.ExistsAsync(comment.Thread, comment.ParentId, cancellationToken))
                return Problems.Field("parentId", CommentValidator.UnknownParent);

            if (await GuardAsync(comment, acceptedAt, cancellationToken) is { } refused)
                return refused;

            try
            {
                await queue.EnqueueAsync(comment, cancellationToken);
            }
            catch
            {
                // Not accepted after all: the reader may send the same text again.
                await ForgetAsync(comment);
                throw;
            }
            logger.LogDebug("Comment {CommentId} accepted for thread {Thread}", comment.Id, comment.Thread);
            return TypedResults.Accepted((string?)null, new Accepted(comment.Id, comment.Thread, "pending"));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><c>GET /api/comments?thread=…</c>: the thread's published comments, nested.</summary>
    public async Task<IResult> GetThreadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var threads = request.Query["thread"];
        if (threads.Count != 1)
            return Problems.Field("thread", "Give exactly one thread, e.g. ?thread=/2024/03/my-post/.");
        if (CommentValidator.ThreadProblem(threads[0]) is { } problem)
            return Problems.Field("thread", problem);
        return TypedResults.Ok(await store.GetThreadAsync(threads[0]!, cancellationToken));
    }

    /// <summary><c>GET /api/comments/count?thread=a&amp;thread=b</c>: published comments per thread.</summary>
    public async Task<IResult> GetCountsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var threads = request.Query["thread"].Distinct(StringComparer.Ordinal).ToList();
        if (threads.Count is 0 or > MaxThreadsPerCount)
            return Problems.Field("thread", $"Give between 1 and {MaxThreadsPerCount} threads, each as ?thread=….");
        var bad = threads.Select(CommentValidator.ThreadProblem).FirstOrDefault(p => p is not null);
        if (bad is not null)
            return Problems.Field("thread", bad);

        var counts = await Task.WhenAll(threads.Select(t => store.CountAsync(t!, cancellationToken)));
        var byThread = new Dictionary<string, int>(threads.Count, StringComparer.Ordinal);
        for (var i = 0; i < threads.Count; i++)
            byThread[threads[i]!] = counts[i];
        return TypedResults.Ok(new ThreadCounts(byThread));
    }

    /// <summary><c>GET /api/health</c>: 200 when the table and the queue answer (and Akismet's key,
    /// when configured, is not refused), 503 otherwise.</summary>
    public async Task<IResult> GetHealthAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return report.Healthy
            ? TypedResults.Ok(report)
            : Problems.Fields(report.Problems, StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Duplicates (409) and floods (429). These guards protect the owner, not the comment:
    /// when the table does not answer they step aside rather than refuse a reader's comment.</summary>
    private async Task<IResult?> GuardAsync(CommentSubmission comment, DateTimeOffset acceptedAt, CancellationToken cancellationToken)
    {
        try
        {
            if (spam.Value.RefuseDuplicates && !await store.TryRememberAsync(comment, cancellationToken))
                return Problems.Field("body", "Duplicate comment: you have already posted this text on this page.", StatusCodes.Status409Conflict);

            if (spam.Value.FloodSeconds > 0)
            {
                var keys = new List<string> { "email:" + comment.Email.ToLowerInvariant() };
                if (comment.Ip is not null)
                    keys.Insert(0, "ip:" + comment.Ip);
                if (await store.ClaimFloodSlotAsync(keys, TimeSpan.FromSeconds(spam.Value.FloodSeconds), acceptedAt, cancellationToken) is { } wait)
                {
                    await ForgetAsync(comment);
                    var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                    return Problems.TooMany(seconds, $"You are posting too quickly. Please wait {seconds} seconds before posting again.");
                }
            }
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Duplicate and flood checks skipped for comment {CommentId}: the table did not answer", comment.Id);
        }
        return null;
    }

    private async Task ForgetAsync(CommentSubmission comment)
    {
        if (!spam.Value.RefuseDuplicates)
            return;
        try
        {
            await store.ForgetAsync(comment, CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Comment {CommentId} was refused, but its duplicate marker could not be removed", comment.Id);
        }
    }

    private static IResult TooLarge() =>
        Problems.Field(Problems.WholeRequest, $"The request body must be at most {MaxRequestBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) &&
        (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)) &&
        (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static async Task<int> ReadAtMostAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            total += read;
        return total;
    }

    /// <summary>Syntax first, then types, so that broken JSON is reported on the request and a
    /// wrong type on its field. The syntax pass is a forward-only reader: it allocates nothing.</summary>
    private static (CommentForm? Form, IResult? Problem) ParseForm(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            return (null, Problems.Field(Problems.WholeRequest, $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
        }
        if (json.Span.TrimStart(" \t\r\n"u8) is not [(byte)'{', ..])
            return (null, Problems.Field(Problems.WholeRequest, "The body must be a JSON object."));
        try
        {
            return (JsonSerializer.Deserialize<CommentForm>(json.Span, CommentJson.Options), null);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            var expected = field == "notifyOnReply" ? "true or false" : "a string";
            return (null, Problems.Field(field, $"{field} must be {expected}."));
        }
    }

    /// <summary>"$.author" → "author": the top-level property a JSON path points into.</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith("$.", StringComparison.Ordinal))
            return Problems.WholeRequest;
        var name = path[2..];
        var end = name.IndexOfAny(['.', '[']);
        return end < 0 ? name : name[..end];
    }
}
