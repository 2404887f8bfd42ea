namespace ServerlessComments.Comments;

/// <summary>
/// Comment ids: opaque to clients, and sorting by time as text (a UUID version 7, whose first
/// 48 bits are the Unix time in milliseconds, written as 32 lowercase hex digits).
/// </summary>
public static class CommentId
{
    public const int Length = 32;

    public static string New(DateTimeOffset acceptedAt) => Guid.CreateVersion7(acceptedAt).ToString("N");

    /// <summary>True when <paramref name="id"/> has the shape of an id this service issues.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
