using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The owner's digest of held comments, end to end: two self-hosts on one storage
/// account (as two Functions instances), real queues with delayed messages, the table's
/// conditional writes, a recording SendGrid.</summary>
[Collection(StorageCollection.Name)]
public sealed class HeldDigestTests(AzuriteFixture azurite)
{
    private const string Owner = "owner@blog.example.com";

    [Fact]
    public async Task Two_instances_send_one_digest_a_period_listing_every_held_comment_once_and_no_confirmation_for_them()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        var unique = Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey,
            ["SendGrid__ApiKey"] = "SG.test-key",
            ["SendGrid__Host"] = sendGrid.BaseUrl.ToString().TrimEnd('/'),
            ["Notifications__OwnerEmail"] = Owner,
            ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
            ["Notifications__HeldDigestMinutes"] = "0.1",
            ["Moderation__Mode"] = "all",
            // One storage account for both: the same table, queues and views.
            ["Storage__CommentQueue"] = "digest-" + unique,
            ["Storage__CommentTable"] = "digest" + unique,
            ["Storage__NotificationQueue"] = "digest-mail-" + unique,
            ["Storage__ThreadContainer"] = "digest-" + unique,
        };
        await using var first = await SelfHost.StartAsync(azurite.ConnectionString, settings);
        await using var second = await SelfHost.StartAsync(azurite.ConnectionString, settings);

        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var host = i % 2 == 0 ? first : second;
            ids.Add(await host.PostAcceptedAsync(new
            {
                thread = "/digest/", author = "Bot " + i, email = $"victim{i}@example.com", body = "Spam run " + i, notifyOnReply = true,
            }));
        }
        foreach (var id in ids)
            await first.StoredAsync(id);

        await Eventually.HoldsAsync(() => Task.FromResult(ids.All(id => sendGrid.To(Owner).Any(e => e.Text.Contains($"/api/moderate/{id}/approve?")))),
            "every held comment in a digest", TimeSpan.FromSeconds(60));
        // Two more periods: nothing else may come.
        await Task.Delay(TimeSpan.FromSeconds(13));
        await Eventually.HoldsAsync(async () => (await first.NotificationQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the email queue to drain", TimeSpan.FromSeconds(60));

        var digests = sendGrid.To(Owner).ToList();
        Assert.All(digests, e => Assert.Contains("owner-digest", e.Categories));
        // Each held comment in exactly one digest; all of them arrived in one period, so one digest
        // (two at most if the posts straddled a period's end).
        foreach (var id in ids)
            Assert.Single(digests, e => e.Text.Contains($"/api/moderate/{id}/approve?"));
        Assert.InRange(digests.Count, 1, 2);
        // Held comments ask no confirmation of anyone.
        Assert.DoesNotContain(sendGrid.Sent, e => e.To.StartsWith("victim"));
        Assert.False(await first.NotificationPoisonQueue.ExistsAsync());
    }
}
