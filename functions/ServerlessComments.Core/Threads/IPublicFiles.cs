namespace ServerlessComments.Threads;

/// <summary>A file to keep beside the public views: its bytes as served, and the headers they go with.</summary>
public sealed record PublicFile(byte[] Body, string ContentType, string? ContentEncoding, string CacheControl)
{
    /// <summary>What says two versions are the same, so an unchanged file is not written again.</summary>
    public required string Version { get; init; }
}

/// <summary>
/// Where the widget's files go when the deployment serves page views from storage
/// (<c>Widget:StaticBase</c>): the same public, read-only place as the threads' first pages.
/// Only files built from the app's own code and settings go there, never a reader's data.
/// </summary>
public interface IPublicFiles
{
    /// <summary>Writes the file under <paramref name="name"/> unless the same version is already
    /// there; true when it wrote.</summary>
    Task<bool> PublishAsync(string name, PublicFile file, CancellationToken cancellationToken);
}
