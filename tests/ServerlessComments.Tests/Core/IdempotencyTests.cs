using ServerlessComments.Accepting;
using ServerlessComments.Comments;

namespace ServerlessComments.Tests.Core;

/// <summary>A retry is the same comment: a reader whose answer was lost sends the submission again
/// with the same <c>Idempotency-Key</c>, and is answered the id of the comment that is stored.</summary>
public class IdempotencyTests
{
    private const string Key = "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"";

    private static Task<AcceptOutcome> SendAsync(CoreWorld world, CommentForm form, string? key = Key) =>
        world.Acceptance.AcceptAsync(form, new ClientInfo("198.51.100.7", "Browser/1", null), CommentSource.Reader, default, idempotencyKey: key);

    [Fact]
    public async Task A_retry_after_the_host_died_between_queueing_and_answering_is_answered_the_id_that_is_stored()
    {
        var world = new CoreWorld();
        world.SpamSettings.FloodSeconds = 60;
        world.Jobs.DieAfterNextEnqueue = true;
        await Assert.ThrowsAsync<OperationCanceledException>(() => SendAsync(world, CoreWorld.Form(body: "Lost answer")));
        var queued = Assert.Single(world.Jobs.Comments).Comment.Id;

        // The reader sends it again at once: not a flood, not a duplicate, the same comment.
        var retry = await SendAsync(world, CoreWorld.Form(body: "Lost answer"));
        Assert.Equal(queued, CoreWorld.Id(retry));
        await world.DrainAsync();
        var stored = Assert.Single(world.Store.All);
        Assert.Equal(queued, stored.Id);
        Assert.Equal(CommentStatus.Published, stored.Status);
    }

    [Fact]
    public async Task A_retry_after_the_comment_was_stored_gets_its_id_and_stores_nothing_more()
    {
        var world = new CoreWorld();
        world.SpamSettings.FloodSeconds = 60;
        var first = CoreWorld.Id(await SendAsync(world, CoreWorld.Form(body: "Stored already")));
        await world.DrainAsync();

        var again = await SendAsync(world, CoreWorld.Form(body: "Stored already"));
        Assert.Equal(first, CoreWorld.Id(again));
        await world.DrainAsync();
        Assert.Equal(first, Assert.Single(world.Store.All).Id);

        // Without the key, the same text is a duplicate, as before.
        Assert.IsType<AcceptOutcome.Duplicate>(await SendAsync(world, CoreWorld.Form(body: "Stored already"), key: null));
    }

    [Fact]
    public async Task A_key_sent_again_with_another_comment_is_refused_and_nothing_is_queued()
    {
        var world = new CoreWorld();
        await SendAsync(world, CoreWorld.Form(body: "First words"));
        var before = world.Jobs.Comments.Count;
        Assert.IsType<AcceptOutcome.KeyReused>(await SendAsync(world, CoreWorld.Form(body: "Other words")));
        Assert.IsType<AcceptOutcome.KeyReused>(await SendAsync(world, CoreWorld.Form(body: "First words", email: "someone.else@example.com")));
        Assert.Equal(before, world.Jobs.Comments.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("two words")]
    [InlineData("clé-accentuée")]
    [InlineData("\"back\\\\slash\"")]
    public async Task A_malformed_key_is_refused_naming_the_header(string key)
    {
        var world = new CoreWorld();
        var invalid = Assert.IsType<AcceptOutcome.Invalid>(await SendAsync(world, CoreWorld.Form(), key));
        Assert.Equal([IdempotencyKeys.Header], invalid.Errors.Keys);
        Assert.Empty(world.Jobs.Comments);
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_refused_and_255_are_served()
    {
        var world = new CoreWorld();
        Assert.IsType<AcceptOutcome.Invalid>(await SendAsync(world, CoreWorld.Form(), new string('k', 256)));
        Assert.IsType<AcceptOutcome.Accepted>(await SendAsync(world, CoreWorld.Form(), new string('k', 255)));
    }

    [Fact]
    public async Task Different_keys_are_different_comments()
    {
        var world = new CoreWorld();
        var a = CoreWorld.Id(await SendAsync(world, CoreWorld.Form("/a/", "Same words"), "key-a"));
        var b = CoreWorld.Id(await SendAsync(world, CoreWorld.Form("/b/", "Same words"), "key-b"));
        Assert.NotEqual(a, b);
    }
}
