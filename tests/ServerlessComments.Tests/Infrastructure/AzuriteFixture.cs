using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>One real Azurite for the integration tests, which run one after another in this collection.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;
    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started.");
    public string ConnectionString => Azurite.ConnectionString;
    public int QueuePort => Azurite.QueuePort;
    public int TablePort => Azurite.TablePort;

    public async ValueTask InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
            await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Azurite";
}
