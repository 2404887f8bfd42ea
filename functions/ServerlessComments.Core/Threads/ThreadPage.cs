using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace ServerlessComments.Threads;

/// <summary>The order top-level comments come in; replies are oldest first in both.</summary>
public static class ThreadOrder
{
    public const string Oldest = "oldest";
    public const string Newest = "newest";
    public static readonly string[] All = [Oldest, Newest];
}

/// <summary>
/// One page of a thread, as <c>GET /api/comments</c> answers it and as the first pages are kept
/// in storage: the thread's count, a page of top-level comments with all their replies, and the
/// cursor of the next page (null on the last).
/// </summary>
public sealed record ThreadPage(string Thread, int Count, string Order, IReadOnlyList<PublicComment> Comments, string? Next);

/// <summary>A run of top-level comments (oldest first) with their replies: a stored view's later pages are made of these.</summary>
public sealed record ThreadChunk([property: JsonPropertyName("comments")] IReadOnlyList<PublicComment> Comments);

/// <summary>Where a page starts: after (oldest first) or before (newest first) a top-level comment.</summary>
public sealed record PageCursor(string Order, string Key)
{
    /// <summary>The position of a top-level comment: its time, then its id, as the tree orders them.</summary>
    public static string KeyOf(PublicComment root) => root.CreatedAt.Ticks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + root.Id;

    public override string ToString() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Order + "|" + Key));

    public static PageCursor? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200)
            return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            return parts is [var order, var key] && ThreadOrder.All.Contains(order) && key.Length is > 19 and < 100 && key[..19].All(char.IsAsciiDigit)
                ? new PageCursor(order, key)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A stored document: its JSON and a strong validator for HTTP caching.</summary>
public sealed record ViewDocument(byte[] Json, string ETag)
{
    public static ViewDocument Of(byte[] json) => new(json, "\"" + Convert.ToHexStringLower(SHA256.HashData(json))[..32] + "\"");
}
