using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

[Collection(StorageCollection.Name)]
public sealed class HostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_is_200_when_storage_answers_and_503_when_it_does_not()
    {
        await using (var healthy = await SelfHost.StartAsync(azurite.ConnectionString))
        {
            var ok = await healthy.Http.GetAsync("api/health");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("healthy", (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        // Storage on ports where nothing listens.
        var nowhere = azurite.ConnectionString
            .Replace($":{azurite.QueuePort}/", $":{FreePort.Next()}/")
            .Replace($":{azurite.TablePort}/", $":{FreePort.Next()}/");
        await using var broken = await SelfHost.StartAsync(nowhere, waitUntilHealthy: false);
        var down = await broken.Http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.True((await down.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("storage", out _));
    }

    [Fact]
    public async Task Only_configured_blog_origins_may_call_the_api_from_a_browser()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins"] = "https://blog.example.com, https://www.example.org",
        });

        async Task<HttpResponseMessage> Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "api/comments");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return await host.Http.SendAsync(request);
        }

        var allowed = await Preflight("https://blog.example.com");
        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Equal("https://blog.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());

        var refused = await Preflight("https://evil.example.net");
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        var read = new HttpRequestMessage(HttpMethod.Get, "api/comments?thread=%2Fx%2F");
        read.Headers.Add("Origin", "https://www.example.org");
        var answer = await host.Http.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("https://www.example.org", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var unknown = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/x/", unknown.GetProperty("thread").GetString());
        Assert.Equal(0, unknown.GetProperty("count").GetInt32());
        Assert.Empty(unknown.GetProperty("comments").EnumerateArray());
    }

    [Theory]
    [InlineData("Storage__CommentQueue", "Bad_Name", "Storage:CommentQueue")]
    [InlineData("Storage__CommentTable", "no-hyphens-allowed", "Storage:CommentTable")]
    [InlineData("Moderation__Mode", "sometimes", "Moderation:Mode")]
    [InlineData("Notifications__ConfirmationsPerHour", "0", "ConfirmationsPerHour")]
    [InlineData("Notifications__HeldDigestMinutes", "0", "HeldDigestMinutes")]
    [InlineData("Admin__ApiKey", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/admin-api-key/)", "Admin:ApiKey")]
    [InlineData("Admin__ApiKey", "a-short-admin-key-31-characters", "Admin:ApiKey must be at least 32 characters")]
    [InlineData("Notifications__LinkSecret", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/link-signing-secret/)", "Notifications:LinkSecret")]
    [InlineData("SendGrid__ApiKey", "@Microsoft.KeyVault(VaultName=kv;SecretName=sendgrid-api-key)", "SendGrid:ApiKey")]
    [InlineData("Challenge__Missing", "sometimes", "Challenge:Missing must be refuse or hold")]
    [InlineData("Challenge__MaxNumber", "10", "MaxNumber")]
    [InlineData("Challenge__Seconds", "5", "Seconds")]
    [InlineData("Challenge__PerMinute", "0", "PerMinute")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_it(string setting, string value, string named)
    {
        var (exitCode, output) = await SelfHost.RunToExitAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            [setting] = value,
        }, "--urls", $"http://127.0.0.1:{FreePort.Next()}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, output);
    }

    [Fact]
    public async Task Without_any_storage_setting_start_up_stops_and_says_what_to_set()
    {
        var (exitCode, output) = await SelfHost.RunToExitAsync(new Dictionary<string, string>(), "--urls", $"http://127.0.0.1:{FreePort.Next()}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("AzureWebJobsStorage__accountName", output);
    }
}
