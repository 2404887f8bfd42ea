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
    // A table string property holds at most 32K characters; the counts are spread over as many as they need.
    private const int ColumnChars = 30_000;

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
        var json = string.Concat(Enumerable.Range(0, entity.GetInt32("Columns") ?? 0).Select(i => entity.GetString("Counts" + i)));
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
            ["Columns"] = (json.Length + ColumnChars - 1) / ColumnChars,
        };
        for (var i = 0; i * ColumnChars < json.Length; i++)
            entity["Counts" + i] = json.Substring(i * ColumnChars, Math.Min(ColumnChars, json.Length - i * ColumnChars));
        try
        {
            if (expected?.Version is null)
                return await table.TryAddAsync(entity, cancellationToken);
            await table.Client.UpdateEntityAsync(entity, new ETag(expected.Version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }
}
