using ServerlessComments.Comments;
using ServerlessComments.Processing;

namespace ServerlessComments.Tests.Unit;

public class CommentIdTests
{
    [Fact]
    public void Ids_sort_by_the_time_they_were_issued()
    {
        var start = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 500).Select(i => CommentId.New(start.AddMilliseconds(i * 7))).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.True(CommentId.IsWellFormed(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("{\"thread\":")]
    [InlineData("null")]
    [InlineData("{\"id\":\"x\",\"thread\":\"/t/\",\"author\":\"a\",\"email\":\"a@b.c\",\"body\":\"b\",\"createdAt\":\"2026-01-01T00:00:00Z\"}")]
    [InlineData("{\"id\":\"01a21bd634d976f29deacc9c3ec91634\",\"thread\":\"/t/\",\"email\":\"a@b.c\",\"body\":\"b\",\"createdAt\":\"2026-01-01T00:00:00Z\"}")]
    public void A_queue_message_that_is_not_a_comment_is_refused(string message) =>
        Assert.Throws<InvalidDataException>(() => Processing.CommentProcessing.Parse(message));

    [Theory]
    [InlineData("$.author", "author")]
    [InlineData("$.notifyOnReply", "notifyOnReply")]
    [InlineData("$.author.first", "author")]
    [InlineData("$.tags[0]", "tags")]
    [InlineData("$", "$")]
    [InlineData(null, "$")]
    public void A_json_path_names_its_top_level_field(string? path, string field) =>
        Assert.Equal(field, Web.Api.JsonBody.FieldOf(path));
}
