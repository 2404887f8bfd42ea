using Azure.Data.Tables;
using ServerlessComments.Adapters.Queues;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Telemetry;

namespace ServerlessComments.Adapters.Account;

/// <summary>The health check's probe: the table and the comment queue answer (one cheap request
/// each, at once), and the poison queues' depths.</summary>
public sealed class AzureStorageProbe(CommentTable table, StorageJobQueue queues) : IStorageProbe
{
    public async Task<IReadOnlyDictionary<string, int>> CheckAsync(CancellationToken cancellationToken)
    {
        var depths = queues.PoisonDepthsAsync(cancellationToken);
        await Task.WhenAll(TableAnswersAsync(cancellationToken), queues.Comments.GetPropertiesAsync(cancellationToken), depths);
        return await depths;
    }

    private async Task TableAnswersAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in table.Client.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
            break;
    }
}
