using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessComments.Comments;
using ServerlessComments.Owner;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Tests.Unit;

/// <summary>
/// Statuses and the owner's decisions are enums inside and the same words on the wire as before: the words
/// are pinned, a word outside the set (or in another case, or a number) is refused on its field by
/// the body reader at the edge, and never reaches the core.
/// </summary>
public class WireWordsTests
{
    [Fact]
    public void Each_decision_keeps_its_word()
    {
        Assert.Equal(["approve", "spam", "ham", "delete", "hold"], Enum.GetValues<OwnerDecision>().Select(OwnerDecisions.Word));
        Assert.Equal("{\"action\":\"ham\",\"ids\":[]}", JsonSerializer.Serialize(new AdminApi.BulkRequest(OwnerDecision.Ham, []), CommentJson.Options));
        Assert.Equal(OwnerDecision.Hold, JsonSerializer.Deserialize<AdminApi.BulkRequest>("{\"action\":\"hold\"}", CommentJson.Options)!.Action);
    }

    [Fact]
    public void Each_status_keeps_its_word_in_answers_and_exports()
    {
        Assert.Equal(["published", "pending", "spam"], CommentStatuses.All.Select(CommentStatuses.Word));
        Assert.Equal("\"pending\"", JsonSerializer.Serialize(CommentStatus.Pending, CommentJson.Options));
        Assert.Equal(CommentStatus.Spam, CommentStatuses.Parse("spam"));
        Assert.Null(CommentStatuses.Parse("Spam"));
        Assert.Null(CommentStatuses.Parse("all"));
    }

    private static async Task<(object? Value, IResult? Problem, HttpContext Context)> ReadAsync(string json)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        context.Response.Body = new MemoryStream();
        var (value, problem) = await JsonBody.For<AdminApi.BulkRequest>(AdminApi.MaxBodyBytes).ReadAsync(context.Request, default);
        return (value, problem, context);
    }

    private static async Task<JsonElement> ProblemAsync(IResult problem, HttpContext context)
    {
        context.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails()
            .BuildServiceProvider();
        await problem.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement.Clone();
    }

    [Theory]
    [InlineData("{\"action\":\"Approve\",\"ids\":[\"x\"]}")]
    [InlineData("{\"action\":\"APPROVE\",\"ids\":[\"x\"]}")]
    [InlineData("{\"action\":1,\"ids\":[\"x\"]}")]
    [InlineData("{\"action\":\"publish\",\"ids\":[\"x\"]}")]
    [InlineData("{\"action\":[\"approve\"],\"ids\":[\"x\"]}")]
    public async Task A_word_outside_the_set_is_refused_on_its_field(string json)
    {
        var (value, problem, context) = await ReadAsync(json);
        Assert.Null(value);
        var body = await ProblemAsync(Assert.IsAssignableFrom<IResult>(problem), context);
        Assert.Equal(400, context.Response.StatusCode);
        var messages = body.GetProperty("errors").GetProperty("action");
        Assert.Contains("approve, spam, ham, delete, hold", messages[0].GetString());
    }

    [Fact]
    public async Task A_word_of_the_set_is_read()
    {
        var (value, problem, _) = await ReadAsync("{\"action\":\"spam\",\"ids\":[\"x\"]}");
        Assert.Null(problem);
        Assert.Equal(OwnerDecision.Spam, Assert.IsType<AdminApi.BulkRequest>(value).Action);
    }
}
