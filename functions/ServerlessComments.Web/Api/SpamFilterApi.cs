using Microsoft.AspNetCore.Http;
using ServerlessComments.Moderation.Filter;

namespace ServerlessComments.Web.Api;

/// <summary>The owner's view of the learning spam filter: how much it has learnt, and starting over.</summary>
public sealed class SpamFilterApi(SpamFilter filter)
{
    /// <summary><c>GET /api/admin/spam-filter</c>: the owner decisions kept as examples and how many the model in use learnt from.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken) =>
        TypedResults.Ok(await filter.StatusAsync(cancellationToken));

    /// <summary><c>POST /api/admin/spam-filter/reset</c>: forgets every owner decision; the starting model judges again.</summary>
    public async Task<IResult> ResetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        await filter.ResetAsync(cancellationToken);
        return TypedResults.Ok(await filter.StatusAsync(cancellationToken));
    }
}
