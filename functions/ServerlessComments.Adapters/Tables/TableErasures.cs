using Azure.Data.Tables;
using ServerlessComments.PersonalData;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Tombstones of erased addresses: a row per keyed hash (<c>~erased</c>), holding when.
/// Read once per processed comment: one point read.</summary>
public sealed class TableErasures(CommentTable table) : IErasures
{
    private const string Erased = "~erased";

    public Task RememberAsync(string key, DateTimeOffset erasedAt, CancellationToken cancellationToken) =>
        table.Client.UpsertEntityAsync(new TableEntity(Erased, key) { ["ErasedAt"] = erasedAt }, TableUpdateMode.Replace, cancellationToken);

    public async Task<DateTimeOffset?> ErasedAtAsync(string key, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Erased, key, ["ErasedAt"], cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("ErasedAt") : null;
    }
}
