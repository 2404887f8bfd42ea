using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Unit;

public class CommentTreeTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static PublicComment C(string id, string? parent, int minutes) =>
        new(id, parent, "author " + id, null, "text " + id, T0.AddMinutes(minutes));

    private static string Shape(IEnumerable<PublicComment> comments) =>
        string.Join(",", comments.Select(c => c.Replies.Count == 0 ? c.Id : $"{c.Id}[{Shape(c.Replies)}]"));

    private static CommentForest Build(IEnumerable<PublicComment> comments, int maxDepth = 20) => CommentTree.Build(comments, maxDepth);

    [Fact]
    public void Replies_nest_under_their_parents_oldest_first()
    {
        // Given in a shuffled order on purpose.
        var view = Build(
        [
            C("r1b", "c1", 5), C("c2", null, 2), C("r1a", "c1", 3), C("c1", null, 1),
            C("r1a1", "r1a", 4), C("r1a1a", "r1a1", 6), C("r2", "c2", 7),
        ]);

        Assert.Equal(7, view.Count);
        Assert.Equal("c1[r1a[r1a1[r1a1a]],r1b],c2[r2]", Shape(view.Roots));
    }

    [Fact]
    public void Comments_posted_in_the_same_instant_keep_the_order_of_their_ids()
    {
        var view = Build([C("b", null, 0), C("a", null, 0), C("c", null, 0)]);
        Assert.Equal("a,b,c", Shape(view.Roots));
    }

    [Fact]
    public void A_reply_whose_parent_is_not_public_is_shown_at_the_top_level_and_counted()
    {
        var view = Build([C("c1", null, 1), C("orphan", "held", 2)]);
        Assert.Equal(2, view.Count);
        Assert.Equal("c1,orphan", Shape(view.Roots));
    }

    [Fact]
    public void A_reply_dated_before_its_parent_still_lands_under_it()
    {
        var view = Build([C("parent", null, 5), C("early", "parent", 1)]);
        Assert.Equal("parent[early]", Shape(view.Roots));
    }

    [Fact]
    public void Corrupt_parent_links_neither_loop_nor_hide_comments()
    {
        var view = Build([C("a", "b", 1), C("b", "a", 2), C("self", "self", 3), C("below", "a", 4)]);
        Assert.Equal(4, view.Count);
        Assert.Equal("a[below],b,self", Shape(view.Roots));
    }

    [Fact]
    public void Replies_deeper_than_the_maximum_show_at_the_deepest_level_saying_whom_they_answer()
    {
        // c1 > r1 > r2 > r3 > r4, with a maximum of three levels.
        var view = Build([C("c1", null, 1), C("r1", "c1", 2), C("r2", "r1", 3), C("r3", "r2", 4), C("r4", "r3", 5)], maxDepth: 3);

        Assert.Equal(5, view.Count);
        Assert.Equal("c1[r1[r2,r3,r4]]", Shape(view.Roots));
        var level3 = view.Roots[0].Replies[0].Replies;
        Assert.Null(level3[0].InReplyTo); // r2 is under its own parent
        Assert.Equal("author r2", level3[1].InReplyTo);
        Assert.Equal("author r3", level3[2].InReplyTo);
        Assert.Equal("r3", level3[2].ParentId); // the real parent is kept
    }

    [Fact]
    public void With_one_level_every_reply_is_top_level_and_says_whom_it_answers()
    {
        var view = Build([C("c1", null, 1), C("r1", "c1", 2)], maxDepth: 1);
        Assert.Equal("c1,r1", Shape(view.Roots));
        Assert.Equal("author c1", view.Roots[1].InReplyTo);
    }

    [Fact]
    public void A_chain_a_thousand_replies_deep_builds_and_serializes_at_the_default_depth()
    {
        var chain = Enumerable.Range(0, 1000).Select(i => C("c" + i, i == 0 ? null : "c" + (i - 1), i)).Reverse().ToList();
        var view = Build(chain, maxDepth: new ThreadOptions().MaxDepth);

        Assert.Equal(1000, view.Count);
        var depth = 1;
        for (var level = view.Roots[0]; level.Replies.Count > 0; level = level.Replies[0])
            depth++;
        Assert.Equal(5, depth);
        Assert.Equal(996, view.Roots[0].Replies[0].Replies[0].Replies[0].Replies.Count);
        // System.Text.Json's default depth is 64: the capped tree stays far below it.
        var json = JsonSerializer.Serialize(view.Roots, CommentJson.Options);
        Assert.Equal(1000, JsonDocument.Parse(json).RootElement.ToString().Split("\"id\"").Length - 1);
    }

    [Fact]
    public void An_empty_thread_has_count_zero() => Assert.Equal(0, Build([]).Count);
}
