using ServerlessComments.Adapters.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class AuthorRecordsContract
{
    protected abstract Task<IAuthorRecords> CreateAsync();

    [Fact]
    public async Task A_known_author_is_an_address_with_its_name_without_case_or_surrounding_space()
    {
        var authors = await CreateAsync();
        Assert.False(await authors.IsKnownAuthorAsync("ann@example.com", "Ann", default));
        await authors.MarkKnownAuthorAsync("Ann@Example.com", "Ann Smith", default);
        Assert.True(await authors.IsKnownAuthorAsync("ann@example.com", " ann smith ", default));
        Assert.False(await authors.IsKnownAuthorAsync("ann@example.com", "Someone Else", default));
        Assert.False(await authors.IsKnownAuthorAsync("bob@example.com", "Ann Smith", default));
        await authors.ForgetKnownAuthorAsync("ANN@example.com", default);
        Assert.False(await authors.IsKnownAuthorAsync("ann@example.com", "Ann Smith", default));
        await authors.ForgetKnownAuthorAsync("ann@example.com", default); // again: nothing there, no error
    }

    [Fact]
    public async Task Marking_many_keeps_the_last_name_of_each_address()
    {
        var authors = await CreateAsync();
        await authors.MarkKnownAuthorsAsync([("a@example.com", "First"), ("b@example.com", "Bee"), ("A@example.com", "Second")], default);
        Assert.True(await authors.IsKnownAuthorAsync("a@example.com", "Second", default));
        Assert.False(await authors.IsKnownAuthorAsync("a@example.com", "First", default));
        Assert.True(await authors.IsKnownAuthorAsync("b@example.com", "Bee", default));
    }

    [Fact]
    public async Task Opting_out_and_confirming_replies()
    {
        var authors = await CreateAsync();
        Assert.False(await authors.HasOptedOutOfRepliesAsync("ann@example.com", default));
        await authors.OptOutOfRepliesAsync("Ann@example.com", default);
        Assert.True(await authors.HasOptedOutOfRepliesAsync("ann@example.com", default));
        // Confirming lifts the opt-out.
        await authors.ConfirmRepliesAsync("ann@example.com", default);
        Assert.True(await authors.HasConfirmedRepliesAsync("ANN@example.com", default));
        Assert.False(await authors.HasOptedOutOfRepliesAsync("ann@example.com", default));
        await authors.OptOutOfRepliesAsync("ann@example.com", default);
        await authors.ForgetOptOutAsync("ann@example.com", default);
        await authors.ForgetConfirmationAsync("ann@example.com", default);
        Assert.False(await authors.HasOptedOutOfRepliesAsync("ann@example.com", default));
        Assert.False(await authors.HasConfirmedRepliesAsync("ann@example.com", default));
        await authors.ForgetOptOutAsync("nobody@example.com", default);
        await authors.ForgetConfirmationAsync("nobody@example.com", default);
    }
}

public sealed class InMemoryAuthorRecordsContract : AuthorRecordsContract
{
    protected override Task<IAuthorRecords> CreateAsync() => Task.FromResult<IAuthorRecords>(new InMemoryAuthorRecords());
}

[Collection(AzureContracts.Name)]
public sealed class TableAuthorRecordsContract(AzuriteFixture azurite) : AuthorRecordsContract
{
    protected override async Task<IAuthorRecords> CreateAsync() => new TableAuthorRecords(await new AzureTestStorage(azurite).TableAsync());
}
