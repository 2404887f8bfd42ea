using Azure.Data.Tables;
using ServerlessComments.Comments;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Known authors (a row per address, hashed without case, holding the name it was
/// published under) and reply opt-outs (a row per address that means yes by being there).</summary>
public sealed class TableAuthorRecords(CommentTable table) : IAuthorRecords
{
    private const string KnownAuthors = "~author";
    private const string ReplyOptOuts = "~optout";
    private const string ReplyConfirmations = "~confirmed";

    public async Task<bool> IsKnownAuthorAsync(string email, string author, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(KnownAuthors, CommentTable.EmailKey(email), ["NameKey"], cancellationToken);
        // Rows from before names were kept have none: that author's next comment is held once.
        return row.HasValue && row.Value!.GetString("NameKey") == NameKey(author);
    }

    public Task MarkKnownAuthorAsync(string email, string author, CancellationToken cancellationToken) =>
        table.Client.UpsertEntityAsync(new TableEntity(KnownAuthors, CommentTable.EmailKey(email)) { ["NameKey"] = NameKey(author) },
            TableUpdateMode.Replace, cancellationToken);

    public async Task MarkKnownAuthorsAsync(IReadOnlyCollection<(string Email, string Author)> authors, CancellationToken cancellationToken)
    {
        // One partition: transactions of 100 rows (one row per address: the last name wins, as one by one).
        var rows = authors.GroupBy(a => CommentTable.EmailKey(a.Email)).Select(g => new TableEntity(KnownAuthors, g.Key) { ["NameKey"] = NameKey(g.Last().Author) });
        await Parallel.ForEachAsync(rows.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (chunk, ct) =>
            await table.Client.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct));
    }

    public Task ForgetKnownAuthorAsync(string email, CancellationToken cancellationToken) =>
        table.UnmarkAsync(KnownAuthors, CommentTable.EmailKey(email), cancellationToken);

    public Task ForgetOptOutAsync(string email, CancellationToken cancellationToken) =>
        table.UnmarkAsync(ReplyOptOuts, CommentTable.EmailKey(email), cancellationToken);

    public Task ForgetConfirmationAsync(string email, CancellationToken cancellationToken) =>
        table.UnmarkAsync(ReplyConfirmations, CommentTable.EmailKey(email), cancellationToken);

    public Task<bool> HasOptedOutOfRepliesAsync(string email, CancellationToken cancellationToken) =>
        table.IsMarkedAsync(ReplyOptOuts, CommentTable.EmailKey(email), cancellationToken);

    public Task OptOutOfRepliesAsync(string email, CancellationToken cancellationToken) =>
        table.MarkAsync(ReplyOptOuts, CommentTable.EmailKey(email), cancellationToken);

    public Task<bool> HasConfirmedRepliesAsync(string email, CancellationToken cancellationToken) =>
        table.IsMarkedAsync(ReplyConfirmations, CommentTable.EmailKey(email), cancellationToken);

    public async Task ConfirmRepliesAsync(string email, CancellationToken cancellationToken)
    {
        // Confirmed first: a crash between the two leaves the reader's latest wish half done, not undone.
        await table.MarkAsync(ReplyConfirmations, CommentTable.EmailKey(email), cancellationToken);
        await table.UnmarkAsync(ReplyOptOuts, CommentTable.EmailKey(email), cancellationToken);
    }

    // Names compared as people would: without case or surrounding space. Hashed, like the address.
    private static string NameKey(string author) => CommentTable.Hash(author.Trim().ToLowerInvariant());
}
