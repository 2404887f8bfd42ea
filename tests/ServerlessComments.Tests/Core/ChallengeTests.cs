using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Notifications;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Core;

/// <summary>The proof-of-work rule, as every entry point that accepts readers' comments applies it
/// (<see cref="CommentAcceptance"/>): a solved challenge is accepted once; anything else is refused
/// before any storage or queue work, or held when the owner chose so.</summary>
public class ChallengeTests
{
    private const string Key = "\"5f0c9a52-2d7e-4c1b-9a39-0a8f6e7f3b11\"";

    private static CoreWorld World()
    {
        var world = new CoreWorld();
        world.ChallengeSettings.On = true;
        return world;
    }

    private static Task<AcceptOutcome> SendAsync(CoreWorld world, string? proof, string body = "Bonjour", string? key = null)
    {
        var form = CoreWorld.Form(body: body);
        form.Proof = proof;
        return world.Acceptance.AcceptAsync(form, new ClientInfo("198.51.100.7", "Browser/1", null), CommentSource.Reader, default, idempotencyKey: key);
    }

    private static void AssertRefused(CoreWorld world, AcceptOutcome outcome, int spent = 0)
    {
        var invalid = Assert.IsType<AcceptOutcome.Invalid>(outcome);
        Assert.Equal([Challenges.Field], invalid.Errors.Keys);
        Assert.Empty(world.Jobs.Comments);
        Assert.Empty(world.Store.All);
        Assert.Empty(world.Guards.Marks);
        Assert.Equal(spent, world.UsedChallenges.Rows.Count);
    }

    [Fact]
    public async Task A_solved_challenge_is_accepted_and_spent()
    {
        var world = World();
        var outcome = await SendAsync(world, ChallengeSolver.Solve(world.Challenges.Issue()));
        CoreWorld.Id(outcome);
        Assert.Single(world.Jobs.Comments);
        Assert.Single(world.UsedChallenges.Rows);
    }

    [Fact]
    public async Task A_comment_without_a_proof_is_refused_naming_the_field()
    {
        var world = World();
        var outcome = await SendAsync(world, null);
        AssertRefused(world, outcome);
        Assert.Contains("proof of work", ((AcceptOutcome.Invalid)outcome).Errors[Challenges.Field][0]);
    }

    [Fact]
    public async Task A_proof_serves_one_comment()
    {
        var world = World();
        var proof = ChallengeSolver.Solve(world.Challenges.Issue());
        CoreWorld.Id(await SendAsync(world, proof, "First"));
        world.Jobs.Comments.Clear();
        AssertRefused(world, await SendAsync(world, proof, "Second"), spent: 1);
    }

    [Fact]
    public async Task A_retry_with_its_idempotency_key_and_its_spent_proof_is_the_same_comment()
    {
        var world = World();
        var proof = ChallengeSolver.Solve(world.Challenges.Issue());
        var first = CoreWorld.Id(await SendAsync(world, proof, "Lost answer", Key));
        Assert.Equal(first, CoreWorld.Id(await SendAsync(world, proof, "Lost answer", Key)));
        await world.DrainAsync();
        Assert.Equal(first, Assert.Single(world.Store.All).Id);

        // The same key and proof with other words is not a retry: the proof was spent on the first.
        world.Jobs.Comments.Clear();
        var other = await SendAsync(world, proof, "Other words", Key);
        Assert.Equal([Challenges.Field], Assert.IsType<AcceptOutcome.Invalid>(other).Errors.Keys);
        Assert.Empty(world.Jobs.Comments);
    }

    [Fact]
    public async Task An_expired_proof_is_refused()
    {
        var world = World();
        var proof = ChallengeSolver.Solve(world.Challenges.Issue());
        world.Clock.Advance(TimeSpan.FromSeconds(world.ChallengeSettings.Seconds + 1));
        AssertRefused(world, await SendAsync(world, proof));
    }

    [Fact]
    public async Task A_forged_or_wrong_proof_is_refused()
    {
        var world = World();
        var c = world.Challenges.Issue();
        var number = ChallengeSolver.Find(c.Challenge, c.Maxnumber, c.Salt);
        // Signed by another secret.
        var other = new CoreWorld();
        other.NotificationSettings.LinkSecret = new string('z', 40);
        other.ChallengeSettings.On = true;
        AssertRefused(world, await SendAsync(world, ChallengeSolver.Solve(other.Challenges.Issue())));
        // A salt that promises more time than it was signed with.
        var later = c.Salt.Replace("expires=", "expires=9");
        AssertRefused(world, await SendAsync(world, ChallengeSolver.Proof(c.Algorithm, Challenges.Hash(later, number), number, later, c.Signature)));
        // The wrong number; not Base64; not the scheme.
        AssertRefused(world, await SendAsync(world, ChallengeSolver.Proof(c.Algorithm, c.Challenge, number + 1, c.Salt, c.Signature)));
        AssertRefused(world, await SendAsync(world, "not a proof!"));
        AssertRefused(world, await SendAsync(world, ChallengeSolver.Proof("SHA-1", c.Challenge, number, c.Salt, c.Signature)));
        // And the right one still works.
        CoreWorld.Id(await SendAsync(world, ChallengeSolver.Proof(c.Algorithm, c.Challenge, number, c.Salt, c.Signature)));
    }

    [Fact]
    public async Task A_proof_for_another_difficulty_is_refused()
    {
        var world = World();
        var easier = new Challenges(new InMemoryUsedChallenges(), new LinkSigner(Options.Create(world.NotificationSettings), NullLogger<LinkSigner>.Instance),
            Options.Create(new ChallengeOptions { MaxNumber = world.ChallengeSettings.MaxNumber / 2 }), world.Clock);
        AssertRefused(world, await SendAsync(world, ChallengeSolver.Solve(easier.Issue())));
    }

    [Fact]
    public async Task In_hold_mode_a_comment_without_a_proof_is_held_for_the_owner_with_the_reason()
    {
        var world = World();
        world.ChallengeSettings.Missing = ChallengeOptions.Hold;
        CoreWorld.Id(await SendAsync(world, null));
        await world.DrainAsync();
        var held = Assert.Single(world.Store.All);
        Assert.Equal(CommentStatus.Pending, held.Status);
        Assert.Contains("no proof of work", held.Reasons);
    }

    [Fact]
    public async Task The_owners_own_loader_needs_no_proof_and_off_means_off()
    {
        var world = World();
        CoreWorld.Id(await world.Acceptance.AcceptAsync(CoreWorld.Form(), ClientInfo.None, CommentSource.Owner, default));
        world.ChallengeSettings.On = false;
        CoreWorld.Id(await SendAsync(world, null, "Off"));
    }
}
