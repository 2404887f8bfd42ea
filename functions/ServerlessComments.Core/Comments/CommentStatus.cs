namespace ServerlessComments.Comments;

/// <summary>Where a stored comment stands. Only <see cref="Published"/> comments are public.</summary>
public static class CommentStatus
{
    public const string Published = "published";
    public const string Pending = "pending";
    public const string Spam = "spam";
}
