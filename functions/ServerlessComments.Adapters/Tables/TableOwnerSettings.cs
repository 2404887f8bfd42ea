using System.Text.Json;
using Azure.Data.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;

namespace ServerlessComments.Adapters.Tables;

/// <summary>The owner's lists: one row (<c>~settings</c>/<c>lists</c>) holding them as JSON, split
/// over numbered properties because one property holds 64 KiB and full lists can hold more.</summary>
public sealed class TableOwnerSettings(CommentTable table) : IOwnerSettings
{
    private const string Partition = "~settings";
    private const string Row = "lists";
    private const int PartLength = 30_000; // characters: UTF-16, under the 64 KiB property limit

    public async Task<OwnerLists> GetListsAsync(CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        if (!row.HasValue)
            return OwnerLists.Empty;
        var parts = row.Value!.GetInt32("Parts") ?? 0;
        var json = string.Concat(Enumerable.Range(0, parts).Select(i => row.Value.GetString("Json" + i)));
        return JsonSerializer.Deserialize<OwnerLists>(json, CommentJson.Options) ?? OwnerLists.Empty;
    }

    public Task SaveListsAsync(OwnerLists lists, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(lists, CommentJson.Options);
        var entity = new TableEntity(Partition, Row);
        var parts = json.Chunk(PartLength).Select(c => new string(c)).ToList();
        entity["Parts"] = parts.Count;
        for (var i = 0; i < parts.Count; i++)
            entity["Json" + i] = parts[i];
        return table.Client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }
}
