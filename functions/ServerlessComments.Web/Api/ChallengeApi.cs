using Microsoft.AspNetCore.Http;
using ServerlessComments.Accepting;

namespace ServerlessComments.Web.Api;

/// <summary><c>GET /api/challenge</c>: a new proof-of-work challenge for the comment form. The rule
/// (what a proof must be, and that it serves once) is the core's <see cref="Challenges"/>.</summary>
public sealed class ChallengeApi(Challenges challenges)
{
    /// <summary>200 and a signed challenge, never cached (each is solved once); 204 when the owner turned the challenge off.</summary>
    public Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<IResult>(new NoStore(challenges.IsOn ? TypedResults.Json(challenges.Issue()) : TypedResults.NoContent()));

    private sealed class NoStore(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-store";
            return inner.ExecuteAsync(context);
        }
    }
}
