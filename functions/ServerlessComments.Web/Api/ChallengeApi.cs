using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;

namespace ServerlessComments.Web.Api;

/// <summary><c>GET /api/challenge</c>: a new proof-of-work challenge for the comment form. The rule
/// (what a proof must be, and that it serves once) is the core's <see cref="Challenges"/>; a network
/// asking for more than <c>Challenge__PerMinute</c> in a minute gets 429, as the preview does.</summary>
public sealed class ChallengeApi(Challenges challenges, IOptions<NetworkOptions> network)
{
    /// <summary>200 and a signed challenge, never cached (each is solved once); 204 when the owner turned the challenge off;
    /// 429 with Retry-After when this network asked too often this minute.</summary>
    public Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!challenges.IsOn)
            return Task.FromResult<IResult>(new NoStore(TypedResults.NoContent()));
        if (challenges.TooSoon(ClientContext.From(request, network.Value).Ip) is { } seconds)
            return Task.FromResult(Problems.TooMany(seconds, "Too many challenges asked for from this network: wait a little."));
        return Task.FromResult<IResult>(new NoStore(TypedResults.Json(challenges.Issue())));
    }

    private sealed class NoStore(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-store";
            return inner.ExecuteAsync(context);
        }
    }
}
