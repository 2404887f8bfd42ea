using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using ServerlessComments.Faces;

namespace ServerlessComments.Web.Api;

/// <summary>
/// <c>GET /api/avatars/{id}.svg</c>: the face behind an avatar id (<see cref="Avatars"/>). An
/// identicon never changes, so it is cached for a year; a fetched picture (Gravatar, the owner's)
/// for <see cref="AvatarOptions.PictureCacheSeconds"/>, so that an erasure or a new picture shows
/// within it. The image may not run or load anything (CSP), nor be read as another type (nosniff).
/// </summary>
public sealed class AvatarsApi(Avatars avatars)
{
    public const string IdenticonCacheControl = "public, max-age=31536000, immutable";
    public const string Policy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    public async Task<IResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var face = await avatars.FaceAsync(id, cancellationToken);
        if (face is null)
            return Results.NotFound();
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(face.Bytes))[..32] + "\"";
        var cache = face.IsIdenticon ? IdenticonCacheControl : $"public, max-age={avatars.PictureCacheSeconds}";
        return new FaceResult(face, etag, cache, request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)));
    }

    private sealed class FaceResult(Face face, string etag, string cacheControl, bool notModified) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ETag = etag;
            headers.CacheControl = cacheControl;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = Policy;
            if (notModified)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            context.Response.ContentType = face.ContentType;
            context.Response.ContentLength = face.Bytes.Length;
            return context.Response.Body.WriteAsync(face.Bytes, context.RequestAborted).AsTask();
        }
    }
}
