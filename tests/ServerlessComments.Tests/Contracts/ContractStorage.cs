using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Notifications;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

// The port contracts: one abstract class per port of the core, its tests written against the
// interface only, run once over the in-memory port the core's tests use and once over the Azure
// adapter against a real Azurite. When they disagree, one of the two is wrong.

/// <summary>Every Azure contract class shares one Azurite (one process for the lot, on a machine
/// with few cores); each test has its own table, queues and containers.</summary>
[CollectionDefinition(Name)]
public sealed class AzureContracts : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azure port contracts";
}

/// <summary>Fresh, uniquely named storage for one test.</summary>
public sealed class AzureTestStorage(AzuriteFixture azurite)
{
    public StorageOptions Names { get; } = Unique();

    public static StorageOptions Unique()
    {
        var u = Guid.NewGuid().ToString("N")[..16];
        return new StorageOptions
        {
            CommentTable = "contract" + u, CommentQueue = "contract-" + u, NotificationQueue = "contract-mail-" + u, ThreadContainer = "contract-" + u,
        };
    }

    public BlobServiceClient Blobs => new(azurite.ConnectionString);
    public QueueServiceClient Queues => new(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    public async Task<CommentTable> TableAsync()
    {
        var table = new CommentTable(new TableServiceClient(azurite.ConnectionString), Options.Create(Names));
        await table.Client.CreateIfNotExistsAsync();
        return table;
    }

    public static GuardKeys Keys => new(Options.Create(new NotificationOptions { LinkSecret = new string('k', 40) }));
}
