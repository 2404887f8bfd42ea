using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Akismet;
using ServerlessComments.Moderation;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The Akismet client over real HTTP against the contract fake: every failure is an
/// answer of its own, never an exception and never a verdict.</summary>
public sealed class AkismetClientTests : IAsyncLifetime
{
    private FakeAkismet _akismet = null!;

    public async ValueTask InitializeAsync() => _akismet = await FakeAkismet.StartAsync();
    public async ValueTask DisposeAsync() => await _akismet.DisposeAsync();

    private AkismetClient Client(string key = FakeAkismet.Key, int timeoutSeconds = 10) => new(new HttpClient(), Options.Create(new AkismetOptions
    {
        ApiKey = key, BlogUrl = "https://blog.example.com/", BaseUrl = _akismet.BaseUrl.ToString(), TimeoutSeconds = timeoutSeconds,
    }), NullLogger<AkismetClient>.Instance);

    private static SpamCheck Comment(string author = "Ann", string email = "ann@example.com", string? ip = "198.51.100.7", string body = "Bonjour") =>
        new(ip, "Browser/1", null, "https://blog.example.com/p/", false, author, email, null, body, DateTimeOffset.UtcNow, null);

    [Fact]
    public async Task Answers_follow_the_contract()
    {
        var client = Client();
        Assert.Equal(SpamAnswer.Ham, (await client.CheckAsync(Comment(), default)).Answer);
        Assert.Equal(SpamAnswer.Spam, (await client.CheckAsync(Comment(author: "viagra-test-123"), default)).Answer);
        Assert.Equal(SpamAnswer.Spam, (await client.CheckAsync(Comment(email: "akismet-guaranteed-spam@example.com"), default)).Answer);
        Assert.Equal(SpamAnswer.Discard, (await client.CheckAsync(Comment(author: "viagra-test-123", body: "[blatant]"), default)).Answer);
        Assert.Equal("valid", await client.VerifyKeyAsync(default));
        Assert.Equal("invalid", await Client("wrong").VerifyKeyAsync(default));
        Assert.True(await client.SubmitAsync(Comment(), isSpam: true, default));
        Assert.True(await client.SubmitAsync(Comment(), isSpam: false, default));
    }

    [Fact]
    public async Task Invalid_is_not_a_verdict_and_keeps_Akismets_explanation()
    {
        var (answer, detail) = await Client().CheckAsync(Comment(ip: null), default);
        Assert.Equal(SpamAnswer.Unavailable, answer);
        Assert.Contains("Empty \"user_ip\" value", detail);
        Assert.False(await Client("wrong").SubmitAsync(Comment(), isSpam: true, default));
    }

    [Fact]
    public async Task Outages_and_slow_answers_are_unavailable()
    {
        _akismet.Outage = FakeAkismet.Trouble.ServerError;
        var (answer, detail) = await Client().CheckAsync(Comment(), default);
        Assert.Equal(SpamAnswer.Unavailable, answer);
        Assert.Contains("500", detail);
        Assert.Equal("unavailable", await Client().VerifyKeyAsync(default));

        _akismet.Outage = FakeAkismet.Trouble.Slow;
        _akismet.SlowBy = TimeSpan.FromSeconds(10);
        var started = DateTime.UtcNow;
        (answer, detail) = await Client(timeoutSeconds: 1).CheckAsync(Comment(), default);
        Assert.Equal(SpamAnswer.Unavailable, answer);
        Assert.Contains("timeout", detail);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8), "the client should give up at its timeout, not wait for the answer");
    }
}
