using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Account;
using ServerlessComments.Adapters.Queues;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Telemetry;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class JobQueueContract
{
    protected abstract Task<IJobQueue> CreateAsync();

    /// <summary>The messages waiting on the comment queue, as its trigger would receive them.</summary>
    protected abstract Task<IReadOnlyList<string>> CommentMessagesAsync();

    /// <summary>The messages waiting on the email queue, as its trigger would receive them.</summary>
    protected abstract Task<IReadOnlyList<string>> EmailMessagesAsync();

    private static CommentSubmission Submission(string email = "ann@example.com", string body = "Bonjour") => new()
    {
        Id = CommentId.New(DateTimeOffset.UtcNow), Thread = "/post/", Author = "Ann", Email = email, Body = body, CreatedAt = DateTimeOffset.UtcNow,
    };

    private static string Json(CommentSubmission c) => JsonSerializer.Serialize(c with { QueueReceipt = null }, CommentJson.Options);

    [Fact]
    public async Task A_queued_comment_is_read_back_from_its_message_as_it_was()
    {
        var jobs = await CreateAsync();
        var comment = Submission(body: "« Très » bien 👍");
        await jobs.EnqueueCommentAsync(comment, null, default);
        var message = Assert.Single(await CommentMessagesAsync());
        Assert.Equal(Json(comment), Json(await jobs.ReadCommentAsync(message, default)));
    }

    [Fact]
    public async Task A_comment_larger_than_a_queue_message_still_travels_whole()
    {
        var jobs = await CreateAsync();
        var comment = Submission(body: string.Concat(Enumerable.Repeat("😀", 10_000)));
        await jobs.EnqueueCommentAsync(comment, null, default);
        var read = await jobs.ReadCommentAsync(Assert.Single(await CommentMessagesAsync()), default);
        Assert.Equal(Json(comment), Json(read));
        await jobs.CompleteCommentAsync(read, default);
    }

    [Fact]
    public async Task A_message_that_is_no_comment_is_invalid_data()
    {
        var jobs = await CreateAsync();
        await Assert.ThrowsAsync<InvalidDataException>(() => jobs.ReadCommentAsync("not a comment", default));
        await Assert.ThrowsAsync<InvalidDataException>(() => jobs.ReadCommentAsync("{\"hello\":1}", default));
    }

    [Fact]
    public async Task A_queued_email_job_is_its_message()
    {
        var jobs = await CreateAsync();
        var job = new NotificationJob(NotificationJob.Reply, "c1", 2);
        await jobs.EnqueueEmailAsync(job, null, default);
        var message = Assert.Single(await EmailMessagesAsync());
        Assert.Equal(job, JsonSerializer.Deserialize<NotificationJob>(message, CommentJson.Options));
    }

    [Fact]
    public async Task Forgetting_an_address_deletes_its_waiting_comments_only()
    {
        var jobs = await CreateAsync();
        await jobs.EnqueueCommentAsync(Submission("Ann@Example.com"), null, default);
        await jobs.EnqueueCommentAsync(Submission("ann@example.com", string.Concat(Enumerable.Repeat("😀", 10_000))), null, default);
        var bob = Submission("bob@example.com");
        await jobs.EnqueueCommentAsync(bob, null, default);
        // Another reader's: an address that contains Ann's, and a comment that quotes it.
        var joann = Submission("joann@example.com");
        await jobs.EnqueueCommentAsync(joann, null, default);
        var quoting = Submission("cy@example.com", "Write to ann@example.com, she knows.");
        await jobs.EnqueueCommentAsync(quoting, null, default);
        Assert.Equal(2, await jobs.ForgetCommentsAsync(" ann@example.com ", default));
        var left = new List<string>();
        foreach (var message in await CommentMessagesAsync())
            left.Add((await jobs.ReadCommentAsync(message, default)).Id);
        Assert.Equal(new[] { bob.Id, joann.Id, quoting.Id }.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
        Assert.Equal(0, await jobs.ForgetCommentsAsync("ann@example.com", default));
    }
}

public sealed class InMemoryJobQueueContract : JobQueueContract
{
    private readonly InMemoryJobQueue _jobs = new();
    protected override Task<IJobQueue> CreateAsync() => Task.FromResult<IJobQueue>(_jobs);
    protected override Task<IReadOnlyList<string>> CommentMessagesAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_jobs.Comments.Select(c => JsonSerializer.Serialize(c.Comment, CommentJson.Options)).ToList());
    protected override Task<IReadOnlyList<string>> EmailMessagesAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_jobs.Emails.Select(e => JsonSerializer.Serialize(e.Job, CommentJson.Options)).ToList());
}

[Collection(AzureContracts.Name)]
public sealed class StorageJobQueueContract(AzuriteFixture azurite) : JobQueueContract
{
    private StorageJobQueue? _jobs;

    protected override Task<IJobQueue> CreateAsync()
    {
        var storage = new AzureTestStorage(azurite);
        // No queue yet: the adapter creates it on its first send, as on a fresh account.
        _jobs = new StorageJobQueue(storage.Queues, storage.Blobs, Options.Create(storage.Names));
        return Task.FromResult<IJobQueue>(_jobs);
    }

    protected override async Task<IReadOnlyList<string>> CommentMessagesAsync() =>
        (await _jobs!.Comments.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();

    protected override async Task<IReadOnlyList<string>> EmailMessagesAsync() =>
        (await _jobs!.Notifications.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
}

public abstract class StorageProbeContract
{
    /// <summary>Storage as the start-up initializer leaves it: everything created, nothing failed.</summary>
    protected abstract Task<IStorageProbe> CreateReadyAsync();

    [Fact]
    public async Task Ready_storage_answers_with_empty_poison_queues()
    {
        var probe = await CreateReadyAsync();
        var depths = await probe.CheckAsync(default);
        Assert.Equal(new Dictionary<string, int> { ["comments"] = 0, ["notifications"] = 0 }, depths);
    }
}

public sealed class InMemoryStorageProbeContract : StorageProbeContract
{
    protected override Task<IStorageProbe> CreateReadyAsync() => Task.FromResult<IStorageProbe>(new InMemoryStorageProbe());
}

[Collection(AzureContracts.Name)]
public sealed class AzureStorageProbeContract(AzuriteFixture azurite) : StorageProbeContract
{
    protected override async Task<IStorageProbe> CreateReadyAsync()
    {
        var storage = new AzureTestStorage(azurite);
        var queues = new StorageJobQueue(storage.Queues, storage.Blobs, Options.Create(storage.Names));
        await queues.Comments.CreateIfNotExistsAsync();
        await queues.Notifications.CreateIfNotExistsAsync();
        return new AzureStorageProbe(await storage.TableAsync(), queues);
    }
}
