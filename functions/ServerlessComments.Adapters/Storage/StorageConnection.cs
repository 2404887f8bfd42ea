using Azure.Core;
using Azure.Core.Extensions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;

namespace ServerlessComments.Adapters.Storage;

/// <summary>
/// Registers the table and queue service clients from the Functions storage setting, in either of
/// its two forms: a connection string in <c>AzureWebJobsStorage</c> (local, Azurite), or the
/// identity-based form (<c>AzureWebJobsStorage__accountName</c>, or <c>__tableServiceUri</c>,
/// <c>__queueServiceUri</c> and <c>__blobServiceUri</c>, with <c>__credential</c>/<c>__clientId</c> for a managed identity).
/// </summary>
public static class StorageConnection
{
    public const string SettingName = "AzureWebJobsStorage";

    public static void AddStorageClients(this AzureClientFactoryBuilder clients, IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingName);
        // The producer must write base64: the queue trigger decodes base64 and sends anything
        // else to the poison queue without running the function.
        static void Base64(QueueClientOptions options)
        {
            options.MessageEncoding = QueueMessageEncoding.Base64;
            Quiet(options);
        }

        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            clients.AddTableServiceClient(section.Value).ConfigureOptions(Quiet);
            clients.AddBlobServiceClient(section.Value).ConfigureOptions(Quiet);
            clients.AddQueueServiceClient(section.Value).ConfigureOptions(Base64);
            return;
        }

        var (tableUri, queueUri, blobUri) = ServiceUris(section);
        clients.AddClient<TableServiceClient, TableClientOptions>((options, credential) => new TableServiceClient(tableUri, credential, options))
            .WithCredential(factory => factory.CreateTokenCredential(section))
            .ConfigureOptions(Quiet);
        clients.AddClient<QueueServiceClient, QueueClientOptions>((options, credential) => new QueueServiceClient(queueUri, credential, options))
            .WithCredential(factory => factory.CreateTokenCredential(section))
            .ConfigureOptions(Base64);
        clients.AddClient<BlobServiceClient, BlobClientOptions>((options, credential) => new BlobServiceClient(blobUri, credential, options))
            .WithCredential(factory => factory.CreateTokenCredential(section))
            .ConfigureOptions(Quiet);
    }

    /// <summary>
    /// No per-request SDK log events: they are built for every call on the hot path (one POST is one
    /// queue send) only to be filtered out at Warning. Failures still surface as exceptions, logged
    /// by the caller with their status and error code.
    /// </summary>
    private static void Quiet(ClientOptions options) => options.Diagnostics.IsLoggingEnabled = false;

    /// <summary>The service endpoints of the identity-based form, from explicit URIs or the account name.</summary>
    public static (Uri Table, Uri Queue, Uri Blob) ServiceUris(IConfiguration section)
    {
        var account = section["accountName"];
        Uri? Endpoint(string key, string service)
        {
            if (section[key] is { Length: > 0 } explicitUri)
                return new Uri(explicitUri, UriKind.Absolute);
            return string.IsNullOrWhiteSpace(account) ? null : new Uri($"https://{account}.{service}.core.windows.net");
        }

        var table = Endpoint("tableServiceUri", "table");
        var queue = Endpoint("queueServiceUri", "queue");
        var blob = Endpoint("blobServiceUri", "blob");
        if (table is null || queue is null || blob is null)
            throw new InvalidOperationException(
                $"Storage is not configured: set {SettingName} to a connection string, or {SettingName}__accountName " +
                $"(or {SettingName}__tableServiceUri, {SettingName}__queueServiceUri and {SettingName}__blobServiceUri) for a managed identity.");
        return (table, queue, blob);
    }
}

internal static class AzureClientBuilderExtensions
{
    public static IAzureClientBuilder<TClient, TOptions> WithCredential<TClient, TOptions>(
        this IAzureClientBuilder<TClient, TOptions> builder, Func<AzureComponentFactory, TokenCredential> create)
        where TOptions : class =>
        builder.WithCredential(services => create((AzureComponentFactory)services.GetService(typeof(AzureComponentFactory))!));
}
