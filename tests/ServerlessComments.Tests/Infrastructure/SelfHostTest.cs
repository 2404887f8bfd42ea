using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>A test class with its own self-host (own queue and table) over the collection's Azurite.</summary>
public abstract class SelfHostTest(AzuriteFixture azurite) : IAsyncLifetime
{
    protected SelfHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await SelfHost.StartAsync(azurite.ConnectionString);
    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
