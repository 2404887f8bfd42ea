using ServerlessComments.Comments;

namespace ServerlessComments.Tests.Unit;

public class CommentTreeTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static PublicComment C(string id, string? parent, int minutes) =>
        new(id, parent, "author " + id, null, "text " + id, T0.AddMinutes(minutes));

    private static string Shape(IEnumerable<PublicComment> comments) =>
        string.Join(",", comments.Select(c => c.Replies.Count == 0 ? c.Id : $"{c.Id}[{Shape(c.Replies)}]"));

    [Fact]
    public void Replies_nest_under_their_parents_to_any_depth_oldest_first()
    {
        // Given in a shuffled order on purpose.
        var view = CommentTree.Build("/t/",
        [
            C("r1b", "c1", 5), C("c2", null, 2), C("r1a", "c1", 3), C("c1", null, 1),
            C("r1a1", "r1a", 4), C("r1a1a", "r1a1", 6), C("r2", "c2", 7),
        ]);

        Assert.Equal("/t/", view.Thread);
        Assert.Equal(7, view.Count);
        Assert.Equal("c1[r1a[r1a1[r1a1a]],r1b],c2[r2]", Shape(view.Comments));
    }

    [Fact]
    public void Comments_posted_in_the_same_instant_keep_the_order_of_their_ids()
    {
        var view = CommentTree.Build("/t/", [C("b", null, 0), C("a", null, 0), C("c", null, 0)]);
        Assert.Equal("a,b,c", Shape(view.Comments));
    }

    [Fact]
    public void A_reply_whose_parent_is_not_public_is_shown_at_the_top_level_and_counted()
    {
        var view = CommentTree.Build("/t/", [C("c1", null, 1), C("orphan", "held", 2)]);
        Assert.Equal(2, view.Count);
        Assert.Equal("c1,orphan", Shape(view.Comments));
    }

    [Fact]
    public void Corrupt_parent_links_neither_loop_nor_hide_comments()
    {
        var view = CommentTree.Build("/t/", [C("a", "b", 1), C("b", "a", 2), C("self", "self", 3)]);
        Assert.Equal(3, view.Count);
        Assert.Equal("a,b,self", Shape(view.Comments));
    }

    [Fact]
    public void An_empty_thread_has_count_zero() => Assert.Equal(0, CommentTree.Build("/none/", []).Count);
}
