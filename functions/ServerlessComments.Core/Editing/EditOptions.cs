using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Editing;

/// <summary><c>Comments__*</c>: what a reader may still do with their own comment.</summary>
public sealed class EditOptions
{
    public const string Section = "Comments";

    /// <summary>How long after posting a reader may edit or delete their comment; 0 turns it off
    /// (no edit token is given, and the routes answer 403).</summary>
    [Range(0.0, 1440.0)]
    public double EditWindowMinutes { get; set; } = 15;

    /// <summary>Edit and delete requests one client address may make in <see cref="ReaderEdits.RequestWindow"/>.</summary>
    [Range(1, 10_000)]
    public int EditRequestsPerClient { get; set; } = 30;

    public TimeSpan Window => TimeSpan.FromMinutes(EditWindowMinutes);
    public bool On => EditWindowMinutes > 0;
}
