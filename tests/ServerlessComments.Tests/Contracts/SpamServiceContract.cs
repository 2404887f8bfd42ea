using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Akismet;
using ServerlessComments.Moderation;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

/// <summary>The spam service port: answers in the core's words, and a service that is down is an
/// answer (<see cref="SpamAnswer.Unavailable"/>), never an exception.</summary>
public abstract class SpamServiceContract
{
    /// <summary>A configured service that calls spam what Akismet's documented test author is.</summary>
    protected abstract Task<ISpamService> CreateAsync();

    /// <summary>The service stops answering.</summary>
    protected abstract void GoDown();

    private static SpamCheck Check(string author) =>
        new("198.51.100.7", "Browser/1", null, "https://blog.example/post/", false, author, "reader@example.com", null, "Bonjour", DateTimeOffset.UtcNow, null);

    [Fact]
    public async Task Ham_spam_corrections_and_the_key()
    {
        var spam = await CreateAsync();
        Assert.True(spam.IsConfigured);
        Assert.Equal(SpamAnswer.Ham, (await spam.CheckAsync(Check("Ann"), default)).Answer);
        Assert.Equal(SpamAnswer.Spam, (await spam.CheckAsync(Check("viagra-test-123"), default)).Answer);
        Assert.True(await spam.SubmitAsync(Check("Ann"), isSpam: true, default));
        Assert.Equal("valid", await spam.VerifyKeyAsync(default));
    }

    [Fact]
    public async Task A_service_that_is_down_answers_unavailable()
    {
        var spam = await CreateAsync();
        GoDown();
        var (answer, detail) = await spam.CheckAsync(Check("Ann"), default);
        Assert.Equal(SpamAnswer.Unavailable, answer);
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.NotEqual("valid", await spam.VerifyKeyAsync(default));
    }
}

public sealed class ScriptedSpamServiceContract : SpamServiceContract
{
    private readonly ScriptedSpamService _spam = new() { Answer = c => c.Author == "viagra-test-123" ? SpamAnswer.Spam : SpamAnswer.Ham };
    protected override Task<ISpamService> CreateAsync() => Task.FromResult<ISpamService>(_spam);
    protected override void GoDown() => _spam.Down = true;
}

/// <summary>Akismet's adapter against a stand-in of its API (a third party).</summary>
public sealed class AkismetSpamServiceContract : SpamServiceContract, IAsyncDisposable
{
    private FakeAkismet? _akismet;

    protected override async Task<ISpamService> CreateAsync()
    {
        _akismet = await FakeAkismet.StartAsync();
        var options = new AkismetOptions { ApiKey = FakeAkismet.Key, BlogUrl = "https://blog.example", BaseUrl = _akismet.BaseUrl.ToString().TrimEnd('/') };
        return new AkismetClient(new HttpClient(), Options.Create(options), NullLogger<AkismetClient>.Instance);
    }

    protected override void GoDown() => _akismet!.Outage = FakeAkismet.Trouble.ServerError;

    public async ValueTask DisposeAsync()
    {
        if (_akismet is not null)
            await _akismet.DisposeAsync();
    }
}
