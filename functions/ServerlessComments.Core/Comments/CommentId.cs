namespace ServerlessComments.Comments;

/// <summary>
/// Comment ids: opaque to clients, and sorting by time as text (a UUID version 7, whose first
/// 48 bits are the Unix time in milliseconds, written as 32 lowercase hex digits).
/// </summary>
public static class CommentId
{
    public const int Length = 32;

    public static string New(DateTimeOffset acceptedAt) => Guid.CreateVersion7(acceptedAt).ToString("N");

    /// <summary>
    /// The id of a comment brought from elsewhere: a UUID version 7 whose time is the comment's
    /// own date (so ids still sort by time) and whose other bits come from a hash of where it
    /// came from, so that importing it again, or from a second file that overlaps, names the same
    /// comment.
    /// </summary>
    public static string Derived(DateTimeOffset createdAt, string origin)
    {
        Span<byte> bytes = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(origin), bytes);
        var ms = Math.Clamp(createdAt.ToUnixTimeMilliseconds(), 0, (1L << 48) - 1);
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0f)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3f)); // RFC 9562 variant
        return Convert.ToHexStringLower(bytes[..16]);
    }

    /// <summary>True when <paramref name="id"/> has the shape of an id this service issues.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
