using ServerlessComments.Comments;
using ServerlessComments.Moderation;

namespace ServerlessComments.Export;

/// <summary>Exporting the whole site: every stored comment, whatever its status, streamed from
/// the store into the chosen format.</summary>
public sealed class SiteExport(ICommentStore store, IOwnerSettings ownerSettings)
{
    /// <param name="blogUrl">The blog's address, for the pages' links in WXR and Disqus files
    /// (comments that recorded their page's URL use it instead).</param>
    /// <returns>How many comments were written.</returns>
    public async Task<int> WriteAsync(string format, Stream output, string? blogUrl, CancellationToken cancellationToken) =>
        format == ExportFormat.Json
            // The owner's lists travel in this product's own file only: WordPress and Disqus have no place for them.
            ? await ExportWriter.JsonAsync(store.AllAsync(cancellationToken), output, cancellationToken, await ownerSettings.GetListsAsync(cancellationToken))
            : await ExportWriter.WriteAsync(format, store.AllAsync(cancellationToken), output, blogUrl, cancellationToken);
}
