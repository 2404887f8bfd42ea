using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessComments.Adapters.Storage;

namespace ServerlessComments.Tests.Unit;

/// <summary>Both forms of the Functions storage setting resolve clients for the right account.</summary>
public class StorageConnectionTests
{
    private static (TableServiceClient Tables, QueueServiceClient Queues) Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddAzureClients(clients => clients.AddStorageClients(configuration));
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<QueueServiceClient>());
    }

    [Fact]
    public void A_connection_string_points_at_its_endpoints()
    {
        var (tables, queues) = Resolve(new()
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1;TableEndpoint=http://127.0.0.1:41002/devstoreaccount1;",
        });
        Assert.Equal("http://127.0.0.1:41002/devstoreaccount1", tables.Uri.ToString().TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:41001/devstoreaccount1", queues.Uri.ToString().TrimEnd('/'));
    }

    [Fact]
    public void An_account_name_with_a_managed_identity_points_at_the_account()
    {
        var (tables, queues) = Resolve(new()
        {
            ["AzureWebJobsStorage:accountName"] = "blogcomments",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });
        Assert.Equal("https://blogcomments.table.core.windows.net/", tables.Uri.ToString());
        Assert.Equal("https://blogcomments.queue.core.windows.net/", queues.Uri.ToString());
        Assert.Equal("blogcomments", queues.AccountName);
    }

    [Fact]
    public void Explicit_service_uris_win_over_the_account_name()
    {
        var (tables, queues) = Resolve(new()
        {
            ["AzureWebJobsStorage:accountName"] = "ignored",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://tables.example.net/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://queues.example.net/",
        });
        Assert.Equal("https://tables.example.net/", tables.Uri.ToString());
        Assert.Equal("https://queues.example.net/", queues.Uri.ToString());
    }

    [Fact]
    public void No_storage_setting_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new()));
        Assert.Contains("AzureWebJobsStorage", error.Message);
    }
}
