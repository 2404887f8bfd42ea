using System.Net;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>Every body the API documents as valid (up to 10,000 characters, in any script) is
/// accepted and reads back unchanged, even when its queue message would pass Azure's 64 KiB limit.</summary>
[Collection(StorageCollection.Name)]
public sealed class WideTextTests(AzuriteFixture azurite) : SelfHostTest(azurite)
{
    public static TheoryData<string, string> Bodies() => new()
    {
        { "cyrillic", new string('Ж', 9_000) },
        { "emoji", string.Concat(Enumerable.Repeat("😀", 5_000)) },
        { "escaped", string.Concat(Enumerable.Repeat("é\"<>&+", 1_633)) + "é\"<>" },
        { "widest", string.Concat(Enumerable.Repeat("😀", 10_000)) },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_at_the_documented_limit_is_accepted_and_reads_back_unchanged(string name, string body)
    {
        var thread = "/wide/" + name + "/";
        var response = await Host.PostAsync(new
        {
            thread, body, author = new string('Ж', 80), email = "wide@example.com", website = "https://example.org/" + new string('a', 1900),
            pageUrl = "https://blog.example.com" + thread, pageTitle = string.Concat(Enumerable.Repeat("😀", 300)),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await Eventually.HoldsAsync(async () => await Host.CountAsync(thread) == 1, "the comment to be published");
        var stored = (await Host.GetThreadAsync(thread)).GetProperty("comments")[0];
        Assert.Equal(body, stored.GetProperty("body").GetString());
        Assert.False(await Host.PoisonQueue.ExistsAsync());
    }
}
