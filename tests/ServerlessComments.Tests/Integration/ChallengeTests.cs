using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Accepting;
using ServerlessComments.Notifications;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The proof of work over real HTTP and real storage: GET /api/challenge, solve it, post.
/// Every refusal is a 400 naming <c>proof</c>, and leaves the table and the queue as they were.</summary>
[Collection(StorageCollection.Name)]
public sealed class ChallengeTests(AzuriteFixture azurite)
{
    private const string Secret = "challenge-tests-link-secret-of-enough-length";
    private const int MaxNumber = 20_000;
    private const string Thread = "/pow/";

    private Task<SelfHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>
        {
            ["Challenge__On"] = "true",
            ["Challenge__MaxNumber"] = MaxNumber.ToString(),
            ["Notifications__LinkSecret"] = Secret,
            ["Admin__ApiKey"] = Api.AdminKey,
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, all);
    }

    /// <summary>Challenges signed with the host's secret (the same key derivation), at another time or difficulty.</summary>
    private static Challenges SignedLike(DateTimeOffset now, int maxNumber) =>
        new(new InMemoryUsedChallenges(), new LinkSigner(Options.Create(new NotificationOptions { LinkSecret = Secret }), NullLogger<LinkSigner>.Instance),
            Options.Create(new ChallengeOptions { MaxNumber = maxNumber, Seconds = 60 }), new FakeTimeProvider(now));

    private static async Task<HashSet<string>> RowsAsync(SelfHost host)
    {
        var rows = new HashSet<string>();
        await foreach (var row in host.Table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            rows.Add(row.PartitionKey + "/" + row.RowKey);
        return rows;
    }

    private static object Comment(string body, string? proof) =>
        new { thread = Thread, body, author = "Ann", email = "ann@example.com", proof, pageUrl = "https://blog.example.com/pow/" };

    /// <summary>Posts and expects a 400 naming <c>proof</c>, with no row written and nothing queued.</summary>
    private static async Task RefusedAsync(SelfHost host, string body, string? proof, Action<HttpRequestMessage>? configure = null)
    {
        var before = await RowsAsync(host);
        var response = await host.PostAsync(Comment(body, proof), configure);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty("proof", out _), text);
        Assert.Equal(before, await RowsAsync(host));
        Assert.Equal(0, (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_solved_challenge_posts_once_and_every_other_proof_is_refused_before_any_storage()
    {
        await using var host = await StartAsync();

        var answer = await host.Http.GetAsync("api/challenge");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        var challenge = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("SHA-256", challenge.GetProperty("algorithm").GetString());
        Assert.Equal(MaxNumber, challenge.GetProperty("maxnumber").GetInt32());
        var proof = ChallengeSolver.Solve(challenge);

        await RefusedAsync(host, "No proof", null);
        await RefusedAsync(host, "Not a proof", "bm90IGEgcHJvb2Y=");
        var c = SignedLike(DateTimeOffset.UtcNow, MaxNumber).Issue();
        var n = ChallengeSolver.Find(c.Challenge, c.Maxnumber, c.Salt);
        await RefusedAsync(host, "Forged", ChallengeSolver.Proof(c.Algorithm, c.Challenge, n, c.Salt, new string('0', 64)));
        await RefusedAsync(host, "Wrong number", ChallengeSolver.Proof(c.Algorithm, c.Challenge, n == 0 ? 1 : n - 1, c.Salt, c.Signature));
        await RefusedAsync(host, "Expired", ChallengeSolver.Solve(SignedLike(DateTimeOffset.UtcNow.AddMinutes(-2), MaxNumber).Issue()));
        await RefusedAsync(host, "Another difficulty", ChallengeSolver.Solve(SignedLike(DateTimeOffset.UtcNow, MaxNumber / 4).Issue()));

        // Solved: accepted and stored; a retry with its key and proof is the same comment.
        const string key = "\"3a1d6f0e-77c4-4b8e-9e51-26f0f1c2a9d4\"";
        void Keyed(HttpRequestMessage r) => r.Headers.Add(IdempotencyKeys.Header, key);
        var id = await host.PostAcceptedAsync(Comment("Solved", proof), Keyed);
        Assert.Equal(id, await host.PostAcceptedAsync(Comment("Solved", proof), Keyed));
        await host.StoredAsync(id);
        await host.DrainedAsync();

        // Spent: another comment with it (or the same words without the key) is refused.
        await RefusedAsync(host, "Reused", proof);
        await RefusedAsync(host, "Solved", proof);
        // The one made with the host's secret but not used yet still works: nothing above spent it.
        Assert.NotNull(await host.PostAcceptedAsync(Comment("Signed like the host", ChallengeSolver.Proof(c.Algorithm, c.Challenge, n, c.Salt, c.Signature))));
        await host.DrainedAsync();
        Assert.Equal(2, await host.CountAsync(Thread));
    }

    [Fact]
    public async Task A_burst_of_challenges_from_one_network_gets_429_with_Retry_After_and_a_reader_never_does()
    {
        // A reader: a few forms in a minute, at the default allowance, all served.
        await using (var reader = await StartAsync())
        {
            for (var i = 0; i < 8; i++)
                Assert.Equal(HttpStatusCode.OK, (await reader.Http.GetAsync("api/challenge")).StatusCode);
        }

        // A burst past the allowance (5 here): 429, a problem with Retry-After, and no challenge in it.
        // Twice the allowance and more, so a minute turning during the burst still meets it.
        await using var host = await StartAsync(("Challenge__PerMinute", "5"));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 12 && refused is null; i++)
        {
            var response = await host.Http.GetAsync("api/challenge");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
        }
        Assert.NotNull(refused);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 5, string.Join(", ", statuses));
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.InRange(refused!.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.False(problem.TryGetProperty("challenge", out _));
    }

    [Fact]
    public async Task In_hold_mode_a_comment_without_a_proof_waits_for_the_owner_and_off_serves_no_challenge()
    {
        await using (var host = await StartAsync(("Challenge__Missing", "hold")))
        {
            var id = await host.PostAcceptedAsync(Comment("Held without proof", null));
            var stored = await host.StoredAsync(id);
            Assert.Equal("pending", stored.GetProperty("status").GetString());
            Assert.Contains("no proof of work", stored.GetRawText());
            Assert.Equal(0, await host.CountAsync(Thread));
        }
        await using (var off = await SelfHost.StartAsync(azurite.ConnectionString))
        {
            var answer = await off.Http.GetAsync("api/challenge");
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
            Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        }
    }
}
