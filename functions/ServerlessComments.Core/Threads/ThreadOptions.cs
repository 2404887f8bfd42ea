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
}
