using Azure.Data.Tables;
using ServerlessComments.Faces;

namespace ServerlessComments.Adapters.Tables;

/// <summary>Gravatar's hash of each author's address, by avatar id: a row per id in a partition of its own.</summary>
public sealed class TableAvatarDirectory(CommentTable table) : IAvatarDirectory
{
    private const string Partition = "~avatar";

    public Task RememberAsync(string avatarId, string gravatarHash, CancellationToken cancellationToken) =>
        table.Client.UpsertEntityAsync(new TableEntity(Partition, avatarId) { ["Gravatar"] = gravatarHash }, TableUpdateMode.Replace, cancellationToken);

    public async Task<string?> GravatarHashAsync(string avatarId, CancellationToken cancellationToken)
    {
        var row = await table.Client.GetEntityIfExistsAsync<TableEntity>(Partition, avatarId, ["Gravatar"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("Gravatar") : null;
    }

    public Task ForgetAsync(string avatarId, CancellationToken cancellationToken) => table.UnmarkAsync(Partition, avatarId, cancellationToken);
}
