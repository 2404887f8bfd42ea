using ServerlessComments.Comments;

namespace ServerlessComments.Export;

/// <summary>Exporting the whole site: every stored comment, whatever its status, streamed from
/// the store into the chosen format.</summary>
public sealed class SiteExport(ICommentStore store)
{
    /// <param name="blogUrl">The blog's address, for the pages' links in WXR and Disqus files
    /// (comments that recorded their page's URL use it instead).</param>
    /// <returns>How many comments were written.</returns>
    public Task<int> WriteAsync(string format, Stream output, string? blogUrl, CancellationToken cancellationToken) =>
        ExportWriter.WriteAsync(format, store.AllAsync(cancellationToken), output, blogUrl, cancellationToken);
}
