using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Threads;

/// <summary><c>Threads__*</c>: how the public thread is shown.</summary>
public sealed class ThreadOptions
{
    public const string Section = "Threads";

    /// <summary>How many levels replies nest to in the public thread (WordPress's default: 5).
    /// Deeper replies are shown at the deepest level, saying whom they answer; storage keeps any depth.</summary>
    [Range(1, 20)]
    public int MaxDepth { get; set; } = 5;

    /// <summary>Top-level comments a page (each with all its replies). A thread's pages are kept
    /// ready in storage, so changing this rebuilds them as each thread next changes (or with
    /// the self-host's <c>rebuild-views</c> command).</summary>
    [Range(5, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>How long an instance keeps the site's counts document in memory before reading it
    /// again (one storage read at most per counts request, shared by every request meanwhile).</summary>
    [Range(0, 5000)]
    public int CountsCacheMilliseconds { get; set; } = 1000;

    /// <summary>Memory for the first pages an instance serves (0: no cache, every view reads storage).</summary>
    [Range(0, 1024)]
    public int PageCacheMegabytes { get; set; } = 32;

    /// <summary>How long a cached first page is served before a conditional read checks it is still current.
    /// Also how long a page another instance changed (or an erasure) may take to show here.</summary>
    [Range(0, 5000)]
    public int PageRevalidateMilliseconds { get; set; } = 1000;

    /// <summary>Comment text is formatted as Markdown (a subset: see docs/widget.md) when it is
    /// stored or edited. Off: every comment shows as plain text. Existing views follow on their
    /// next rebuild (the self-host's <c>rebuild-views</c>), as with <see cref="PageSize"/>.</summary>
    public bool Markdown { get; set; } = true;
}
