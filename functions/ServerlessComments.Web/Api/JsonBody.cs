using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ServerlessComments.Comments;

namespace ServerlessComments.Web.Api;

/// <summary>
/// A route's JSON body, declared on the route table: the type it is read as and the most bytes
/// accepted. <see cref="ApiRoutes.InvokeAsync"/> reads it with <see cref="ReadAsync"/> (the one JSON
/// reader of the API, for both hosts) before the handler runs; the handler takes it with
/// <see cref="Of{T}"/>. A body that is not JSON is 415, too large 413, broken or of the wrong
/// type 400 naming the field; the handler then never runs, so nothing changes.
/// </summary>
public sealed record JsonBody(Type Type, int MaxBytes)
{
    public static JsonBody For<T>(int maxBytes) where T : class => new(typeof(T), maxBytes);

    /// <summary>The body the edge read for this request's route.</summary>
    public static T Of<T>(HttpRequest request) where T : class =>
        request.HttpContext.Items[typeof(JsonBody)] as T
        ?? throw new InvalidOperationException($"The route did not declare a JSON body of {typeof(T).Name} on the route table.");

    internal static void Keep(HttpRequest request, object value) => request.HttpContext.Items[typeof(JsonBody)] = value;

    /// <summary>The statuses reading a body may answer, declared for every route that has one.</summary>
    public static readonly int[] Statuses = [StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType];

    /// <summary>Reads the body whole, but never more than <see cref="MaxBytes"/> (a missing or false
    /// Content-Length cannot make it read more): the value, or the problem to answer instead.</summary>
    public async Task<(object? Value, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
            return (null, Problems.Field(Problems.WholeRequest, "Send the body as JSON, with Content-Type: application/json.", StatusCodes.Status415UnsupportedMediaType));
        if (request.ContentLength > MaxBytes)
            return (null, TooLarge());
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = await ReadAtMostAsync(request.Body, buffer.AsMemory(0, MaxBytes + 1), cancellationToken);
            return length > MaxBytes ? (null, TooLarge()) : Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private IResult TooLarge() =>
        Problems.Field(Problems.WholeRequest, $"The request body must be at most {MaxBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) &&
        (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)) &&
        (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static async Task<int> ReadAtMostAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await body.ReadAsync(buffer[total..], cancellationToken)) > 0)
            total += read;
        return total;
    }

    /// <summary>Syntax first, then types, so that broken JSON is reported on the request and a
    /// wrong type on its field. The syntax pass is a forward-only reader: it allocates nothing.</summary>
    private (object? Value, IResult? Problem) Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
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
        if (json.TrimStart(" \t\r\n"u8) is not [(byte)'{', ..])
            return (null, Problems.Field(Problems.WholeRequest, "The body must be a JSON object."));
        try
        {
            return (JsonSerializer.Deserialize(json, Type, CommentJson.Options)!, null);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            return (null, Problems.Field(field, field == Problems.WholeRequest ? "The body does not have the expected form." : $"{field} must be {Expected(field)}."));
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

    /// <summary>What the declared type holds in a field, in words: "a string", "true or false"…</summary>
    private string Expected(string field)
    {
        var property = Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(CommentJson.Options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name, field, StringComparison.Ordinal));
        var type = property is null ? typeof(object) : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type == typeof(string) ? "a string"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) ? "a whole number"
            : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))
            : type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) ? "a list"
            : "of another type";
    }
}
