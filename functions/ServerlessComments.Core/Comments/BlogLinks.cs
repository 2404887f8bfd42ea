namespace ServerlessComments.Comments;

/// <summary>Where the blog shows a comment, for emails and feeds alike.</summary>
public static class BlogLinks
{
    /// <summary>Where a comment (or, with no id, its thread) can be read: its page when that page
    /// is on the blog's own origin, else the thread's path on the blog (a thread is the page's path
    /// unless the blog named it otherwise), else the blog's home; null without a blog address.
    /// Never an address only a reader vouched for.</summary>
    public static string? ToComment(string? blogUrl, string thread, string? pageUrl, string? id)
    {
        if (!Uri.TryCreate(blogUrl, UriKind.Absolute, out var blog))
            return null;
        var anchor = id is null ? "" : "#comment-" + id;
        if (Uri.TryCreate(pageUrl, UriKind.Absolute, out var page) && page.Scheme == blog.Scheme &&
            string.Equals(page.Authority, blog.Authority, StringComparison.OrdinalIgnoreCase))
            return page.GetLeftPart(UriPartial.Query) + anchor;
        if (thread.StartsWith('/') && !thread.StartsWith("//") && Uri.TryCreate(blog, thread, out var onBlog) &&
            onBlog.Authority == blog.Authority)
            return onBlog.GetLeftPart(UriPartial.Query) + anchor;
        return blog.GetLeftPart(UriPartial.Path);
    }
}
