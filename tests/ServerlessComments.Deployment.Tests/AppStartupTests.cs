using System.Text.RegularExpressions;
using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>
/// The app starts with the storage configuration the template gives it (service URIs and a
/// user-assigned identity's client id, no key) as well as with a connection string (local
/// development), and each resolves storage clients for the right account that authenticate the
/// right way: a token the managed identity endpoint issued to that identity, or the account key.
/// </summary>
[Collection(nameof(AppStartupTests))] // sets the process's managed identity variables
[CollectionDefinition(nameof(AppStartupTests), DisableParallelization = true)]
public sealed partial class AppStartupTests
{
    private const string ClientId = "3f9ae3a1-6b61-4c35-9d3c-0b9a8a1c2e11";

    [Fact]
    public async Task With_the_templates_settings_the_app_starts_and_reaches_storage_as_its_identity()
    {
        var infra = await Infra.GetAsync();
        var account = Infra.Name(infra.Single("Microsoft.Storage/storageAccounts"));
        var settings = infra.AppSettings.ToDictionary(s => s.Key, s => Resolve(infra, s.Key, (string)s.Value!));
        Assert.DoesNotContain(settings.Keys, k => k == "AzureWebJobsStorage" || k.EndsWith("accountKey", StringComparison.OrdinalIgnoreCase));

        await using var identityEndpoint = new FakeManagedIdentityEndpoint();
        using var variables = new ManagedIdentityVariables(identityEndpoint.Endpoint);
        var handler = new RecordingHandler();
        using var provider = Services(settings, handler);

        // The host's start-up check of every option the app validates.
        provider.GetRequiredService<IStartupValidator>().Validate();

        var tables = provider.GetRequiredService<TableServiceClient>();
        var queues = provider.GetRequiredService<QueueServiceClient>();
        Assert.Equal($"https://{account}.table.core.windows.net/", tables.Uri.ToString());
        Assert.Equal($"https://{account}.queue.core.windows.net/", queues.Uri.ToString());

        await Touch(tables, queues);
        var sent = handler.Requests.ToList();
        Assert.Contains(sent, r => r.Uri.Host == $"{account}.table.core.windows.net");
        Assert.Contains(sent, r => r.Uri.Host == $"{account}.queue.core.windows.net");
        Assert.All(sent, r => Assert.Equal($"Bearer {FakeManagedIdentityEndpoint.TokenFor(ClientId)}", r.Authorization));
        var asked = Assert.Single(identityEndpoint.Requests.DistinctBy(r => (r.ClientId, r.Resource)));
        Assert.Equal(ClientId, asked.ClientId);
        Assert.StartsWith("https://storage.azure.com", asked.Resource);
        Assert.Equal(FakeManagedIdentityEndpoint.Header, asked.IdentityHeader);
    }

    [Fact]
    public async Task With_a_connection_string_the_app_starts_and_signs_with_the_account_key()
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;" +
                "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                "QueueEndpoint=https://queues.example.net/devstoreaccount1;TableEndpoint=https://tables.example.net/devstoreaccount1;",
        };
        var handler = new RecordingHandler();
        using var provider = Services(settings, handler);
        provider.GetRequiredService<IStartupValidator>().Validate();

        var tables = provider.GetRequiredService<TableServiceClient>();
        var queues = provider.GetRequiredService<QueueServiceClient>();
        Assert.Equal("https://tables.example.net/devstoreaccount1", tables.Uri.ToString().TrimEnd('/'));
        Assert.Equal("https://queues.example.net/devstoreaccount1", queues.Uri.ToString().TrimEnd('/'));

        await Touch(tables, queues);
        var sent = handler.Requests.ToList();
        Assert.Contains(sent, r => r.Uri.Host == "tables.example.net");
        Assert.Contains(sent, r => r.Uri.Host == "queues.example.net");
        Assert.All(sent, r => Assert.StartsWith("SharedKey", r.Authorization));
    }

    private static ServiceProvider Services(Dictionary<string, string> settings, RecordingHandler handler)
    {
        // As the Functions host reads app settings: environment variables, "__" for ":".
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ConfigurationPath.KeyDelimiter), (string?)s.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddCommentServices(configuration)
            .AddAzureStorage(configuration).AddAkismet(configuration).AddEmail(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.Transport = new HttpClientTransport(new HttpClient(handler));
            options.Retry.MaxRetries = 0;
        }));
        return services.BuildServiceProvider();
    }

    private static async Task Touch(TableServiceClient tables, QueueServiceClient queues)
    {
        try
        {
            await tables.GetTableClient("comments").GetEntityIfExistsAsync<TableEntity>("thread", "comment");
        }
        catch (RequestFailedException) { }
        try
        {
            await queues.GetQueueClient("comments").GetPropertiesAsync();
        }
        catch (RequestFailedException) { }
    }

    /// <summary>What the app sees for a setting once Azure has worked out the snapshot's expressions
    /// (runtime properties) and resolved the Key Vault references.</summary>
    private static string Resolve(Infra infra, string name, string value)
    {
        if (!Arm.IsExpression(value))
            return value;
        var secrets = new Dictionary<string, string>
        {
            ["admin-api-key"] = Infra.AdminApiKey,
            ["link-signing-secret"] = Infra.LinkSigningKey,
        };
        switch (name)
        {
            // Given in this environment, so the template made their secrets and references; the
            // snapshot cannot tell (the condition is on a secure parameter).
            case "SendGrid__ApiKey" when value == "[unknown()]":
                return Infra.SendGridApiKey;
            case "Akismet__ApiKey" when value == "[unknown()]":
                return Infra.AkismetApiKey;
            case "Smtp__Password" when value == "[unknown()]":
                return Infra.SmtpPassword;
            case "Akismet__BlogUrl" when value == "[if(empty(unknown()), '', parameters('blog').url)]":
                return Infra.Environment["BLOG_URL"];
            // The blob endpoint and the views' container (publicViews).
            case "Widget__StaticBase" when value.StartsWith("[format('{0}{1}', reference(", StringComparison.Ordinal) && value.EndsWith(".primaryEndpoints.blob, 'threads')]", StringComparison.Ordinal):
                return $"https://{Infra.Name(infra.Single("Microsoft.Storage/storageAccounts"))}.blob.core.windows.net/threads";
        }
        var reference = ReferenceExpression().Match(value);
        if (reference.Success)
        {
            var resource = reference.Groups["id"].Value.Split('/');
            var (type, resourceName, path) = (resource[^2], resource[^1], reference.Groups["path"].Value);
            var resolved = (type, path) switch
            {
                ("storageAccounts", var p) when p.StartsWith("primaryEndpoints.", StringComparison.Ordinal) =>
                    $"https://{resourceName}.{p["primaryEndpoints.".Length..]}.core.windows.net/",
                ("userAssignedIdentities", "clientId") => ClientId,
                ("components", "ConnectionString") =>
                    "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
                ("sites", "defaultHostName") => $"{resourceName}.azurewebsites.net",
                ("secrets", "secretUri") => secrets[resourceName],
                _ => null,
            };
            var format = reference.Groups["format"].Value;
            if (resolved is not null)
                return format switch
                {
                    "" => resolved,
                    "https://{0}" => $"https://{resolved}",
                    "ClientId={0};Authorization=AAD" => $"ClientId={resolved};Authorization=AAD",
                    // Key Vault resolves the reference to the secret's value.
                    "@Microsoft.KeyVault(SecretUri={0})" => resolved,
                    _ => throw new InvalidOperationException($"{name}: no rule for the format '{format}'"),
                };
        }
        throw new InvalidOperationException($"{name}: the test does not know what Azure makes of {value}; teach it.");
    }

    [GeneratedRegex(@"^\[(?:format\('(?<format>[^']*)', )?reference\('(?<id>[^']+)', '[^']+'\)\.(?<path>[A-Za-z.]+)\)?\]$")]
    private static partial Regex ReferenceExpression();

    /// <summary>IDENTITY_ENDPOINT and IDENTITY_HEADER, as App Service sets them, for one test.</summary>
    private sealed class ManagedIdentityVariables : IDisposable
    {
        private static readonly string[] Names = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT"];
        private readonly Dictionary<string, string?> saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

        public ManagedIdentityVariables(Uri endpoint)
        {
            foreach (var name in Names)
                Environment.SetEnvironmentVariable(name, null);
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", endpoint.ToString());
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", FakeManagedIdentityEndpoint.Header);
        }

        public void Dispose()
        {
            foreach (var (name, value) in saved)
                Environment.SetEnvironmentVariable(name, value);
        }
    }
}
