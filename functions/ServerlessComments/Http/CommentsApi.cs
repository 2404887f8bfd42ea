using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ServerlessComments.Comments;
using ServerlessComments.Storage;

namespace ServerlessComments.Http;

/// <summary>
/// API v1, written once for both hosts: each method takes the ASP.NET Core request and returns
/// the answer. The Function App and the self-host only bind routes to these methods.
/// </summary>
public sealed class CommentsApi(CommentQueue queue, CommentStore store, TimeProvider clock, ILogger<CommentsApi> logger)
{
    public const int MaxRequestBytes = 64 * 1024;
    public const int MaxThreadsPerCount = 50;

    public sealed record Accepted(string Id, string Thread, string Status);
    public sealed record ThreadCounts(IReadOnlyDictionary<string, int> Counts);
    public sealed record Health(string Status);

    /// <summary><c>POST /api/comments</c>: validate, enqueue once, answer <c>202</c>. No table
    /// write and no third-party call happens here; the only read is the parent's existence.</summary>
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
            var comment = result.Submission!;

            if (comment.ParentId is not null && !await store.ExistsAsync(comment.Thread, comment.ParentId, cancellationToken))
                return Problems.Field("parentId", CommentValidator.UnknownParent);

            await queue.EnqueueAsync(comment, cancellationToken);
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

    /// <summary><c>GET /api/health</c>: 200 when the table and the queue answer, 503 otherwise.</summary>
    public async Task<IResult> GetHealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await Task.WhenAll(
                store.ProbeAsync(timeout.Token),
                queue.Queue.GetPropertiesAsync(timeout.Token));
            return TypedResults.Ok(new Health("healthy"));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Health check failed: storage did not answer");
            return Problems.Field("storage", "Storage (table or queue) did not answer.", StatusCodes.Status503ServiceUnavailable);
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
