using ServerlessComments.Comments;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Known authors and reply opt-outs: a row per address (hashed, without case) that
/// means yes by being there.</summary>
public sealed class TableAuthorRecords(CommentTable table) : IAuthorRecords
{
    private const string KnownAuthors = "~author";
    private const string ReplyOptOuts = "~optout";

    public Task<bool> IsKnownAuthorAsync(string email, CancellationToken cancellationToken) =>
        table.IsMarkedAsync(KnownAuthors, CommentTable.EmailKey(email), cancellationToken);

    public Task MarkKnownAuthorAsync(string email, CancellationToken cancellationToken) =>
        table.MarkAsync(KnownAuthors, CommentTable.EmailKey(email), cancellationToken);

    public Task<bool> HasOptedOutOfRepliesAsync(string email, CancellationToken cancellationToken) =>
        table.IsMarkedAsync(ReplyOptOuts, CommentTable.EmailKey(email), cancellationToken);

    public Task OptOutOfRepliesAsync(string email, CancellationToken cancellationToken) =>
        table.MarkAsync(ReplyOptOuts, CommentTable.EmailKey(email), cancellationToken);
}
