using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Reactions;

namespace ServerlessComments.Adapters.Tables;

/// <summary>
/// Readers' reactions in the one table, in a partition per thread (<c>~react-{thread key}</c>, which
/// starts with "~" and so is never taken for a thread): one row per target and reader
/// (<c>{target}|{reader hash}</c>, an insert that fails on a repeat), counted with a range query on
/// the target's prefix; the tally is the row <c>~tally</c> of the same partition, written with its ETag.
/// </summary>
public sealed class TableReactionStore(CommentTable table) : IReactionStore
{
    public const string TallyRow = "~tally";

    private static string Partition(string threadKey) => "~react-" + threadKey;

    public Task<bool> AddAsync(string threadKey, string target, string reader, CancellationToken cancellationToken) =>
        table.TryAddAsync(new TableEntity(Partition(threadKey), target + "|" + reader), cancellationToken);

    public async Task<bool> RemoveAsync(string threadKey, string target, string reader, CancellationToken cancellationToken)
    {
        // The SDK answers a row that is not there with its 404 response rather than an exception.
        var response = await table.Client.DeleteEntityAsync(Partition(threadKey), target + "|" + reader, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<int> CountAsync(string threadKey, string target, CancellationToken cancellationToken)
    {
        // '}' follows '|': every row of this target and no other (targets never hold '|').
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(threadKey)} and RowKey gt {target + "|"} and RowKey lt {target + "}"}");
        var count = 0;
        await foreach (var _ in table.Client.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            count++;
        return count;
    }

    public async Task<ReactionTally?> GetTallyAsync(string threadKey, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Partition(threadKey), TallyRow, cancellationToken: cancellationToken);
        if (!row.HasValue)
            return null;
        var entity = row.Value!;
        var json = CommentTable.JoinFrom(entity, "Columns", "Counts");
        return new ReactionTally(json.Length == 0 ? ReactionCounts.Empty : JsonSerializer.Deserialize<ReactionCounts>(json, CommentJson.Options)!, entity.GetInt64("Sequence") ?? 0)
        {
            Version = entity.ETag.ToString(),
        };
    }

    public async Task<bool> TryCommitTallyAsync(string threadKey, ReactionTally? expected, ReactionTally next, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(next.Counts, CommentJson.Options);
        var entity = new TableEntity(Partition(threadKey), TallyRow)
        {
            ["Sequence"] = next.Sequence,
        };
        // The counts may be longer than one column holds.
        CommentTable.SplitInto(entity, "Columns", "Counts", json);
        return await table.TryCommitAsync(entity, expected?.Version, cancellationToken);
    }
}
