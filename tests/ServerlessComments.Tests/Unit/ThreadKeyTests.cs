using ServerlessComments.Comments;

namespace ServerlessComments.Tests.Unit;

public class ThreadKeyTests
{
    // Azure Table keys may not contain these, nor control characters, and are at most 1 KiB.
    private static void AssertUsableAsTableKey(string key)
    {
        Assert.Equal(ThreadKey.Length, key.Length);
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        Assert.Matches("^[0-9a-f]+$", key);
    }

    [Theory]
    [InlineData("/2024/03/legitimite-reseaux-sociaux/")]
    [InlineData(@"\windows\path\")]
    [InlineData("/post#comments")]
    [InlineData("/search?q=a/b&x=#y")]
    [InlineData("/博客/评论/")]
    [InlineData("/مدونة/تعليقات/")]
    [InlineData("/🙂/😀/")]
    public void Keys_are_safe_for_any_thread(string thread) => AssertUsableAsTableKey(ThreadKey.For(thread));

    [Fact]
    public void Very_long_threads_get_keys_of_the_same_length()
    {
        AssertUsableAsTableKey(ThreadKey.For(new string('/', 400)));
        AssertUsableAsTableKey(ThreadKey.For(string.Concat(Enumerable.Repeat("😀", 400))));
        Assert.NotEqual(ThreadKey.For(new string('a', 399) + "b"), ThreadKey.For(new string('a', 399) + "c"));
    }

    [Fact]
    public void The_same_thread_always_gets_the_same_key() =>
        Assert.Equal(ThreadKey.For("/2024/03/x/"), ThreadKey.For(new string("/2024/03/x/".ToCharArray())));

    [Fact]
    public void Threads_that_escaping_would_confuse_get_different_keys()
    {
        // Each pair would collide under a naive "replace the forbidden character" scheme.
        string[] threads =
        [
            "/a/b", @"\a\b", "_a_b", "%2Fa%2Fb", "-a-b", "/a/b/", "/A/B", "/a/b ", "/a#b", "/a?b",
            "é", "e\u0301", // same letter, composed and decomposed: different text, so different threads
        ];
        var keys = threads.Select(ThreadKey.For).ToList();
        Assert.Equal(threads.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Many_random_threads_never_share_a_key()
    {
        var random = new Random(20261127);
        var threads = new HashSet<string>();
        while (threads.Count < 20_000)
        {
            var chars = new char[random.Next(1, 40)];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = "/\\#?ab-_%é"[random.Next(10)];
            threads.Add(new string(chars));
        }
        Assert.Equal(threads.Count, threads.Select(ThreadKey.For).Distinct().Count());
    }
}
