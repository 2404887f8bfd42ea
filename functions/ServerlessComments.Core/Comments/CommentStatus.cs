using System.Text.Json.Serialization;

namespace ServerlessComments.Comments;

/// <summary>Where a stored comment stands. Only <see cref="Published"/> comments are public. On the
/// wire and in storage it is its word ("published"): see <see cref="CommentStatuses"/>.</summary>
[JsonConverter(typeof(WordEnumConverter<CommentStatus>))]
public enum CommentStatus
{
    Published,
    /// <summary>Held for the owner.</summary>
    Pending,
    Spam,
}

public static class CommentStatuses
{
    public static readonly CommentStatus[] All = Enum.GetValues<CommentStatus>();

    /// <summary>The status's word ("published"), as the API, the export and the table spell it.</summary>
    public static string Word(this CommentStatus status) => WordEnumConverter<CommentStatus>.Word(status);

    /// <summary>The status a word names, exactly; null for any other word.</summary>
    public static CommentStatus? Parse(string? word) => WordEnumConverter<CommentStatus>.Parse(word);
}
