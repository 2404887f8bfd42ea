using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Notifications;

namespace ServerlessComments.Tests.Core;

/// <summary>Delivering emails, in-process: each email once, and never lost to a claim that
/// outlived its sender.</summary>
public class NotificationDeliveryTests
{
    private static string Job(string kind, string id) => JsonSerializer.Serialize(new NotificationJob(kind, id), CommentJson.Options);

    [Fact]
    public async Task A_job_delivered_twice_sends_once()
    {
        var world = new CoreWorld();
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Single(world.Mail.Sent);
    }

    [Fact]
    public async Task A_claim_whose_sender_crashed_runs_out_and_the_email_is_sent_after_all()
    {
        var world = new CoreWorld();
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        // A sender claimed the email and died before sending it (the claim is all it left).
        Assert.Equal(EmailClaim.Claimed, await world.Ledger.TryClaimAsync(id, NotificationJob.Owner, world.NotificationSettings.OwnerEmail, NotificationDelivery.ClaimLease, default));

        // Delivered again while the lease holds: not sent twice at once, looked at again later.
        world.Jobs.Emails.Clear();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Empty(world.Mail.Sent);
        var later = Assert.Single(world.Jobs.Emails);
        Assert.Equal(NotificationDelivery.ClaimLease, later.Delay);

        // Once the lease has run out, the redelivery sends it, and only once.
        world.Clock.Advance(NotificationDelivery.ClaimLease + TimeSpan.FromSeconds(1));
        await world.SendEmailsAsync();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Single(world.Mail.Sent);
    }

    [Fact]
    public async Task A_send_that_failed_gives_its_claim_back_and_the_retry_sends()
    {
        var world = new CoreWorld();
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        world.Mail.Answer = _ => new SendResult(false, TimeSpan.FromSeconds(10), "SendGrid 503");
        world.Jobs.Emails.Clear();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Equal(TimeSpan.FromSeconds(10), Assert.Single(world.Jobs.Emails).Delay);
        world.Mail.Answer = null;
        await world.SendEmailsAsync();
        Assert.Single(world.Mail.Sent);
    }
}
