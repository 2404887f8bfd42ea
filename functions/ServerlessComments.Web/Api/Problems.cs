using Microsoft.AspNetCore.Http;

namespace ServerlessComments.Web.Api;

/// <summary>RFC 9457 problem details (<c>application/problem+json</c>), always with an
/// <c>errors</c> object naming each bad field (<c>$</c> when the fault is the request as a whole).</summary>
public static class Problems
{
    public const string WholeRequest = "$";

    public static IResult Fields(IReadOnlyDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest, string? title = null) =>
        Results.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = status,
            Title = title ?? TitleFor(status),
            Type = TypeFor(status),
        });

    public static IResult Field(string field, string message, int status = StatusCodes.Status400BadRequest, string? title = null) =>
        Fields(new Dictionary<string, string[]> { [field] = [message] }, status, title);

    /// <summary>Adds <c>Retry-After</c> (seconds) to an answer.</summary>
    public static IResult WithRetryAfter(int seconds, IResult inner) => new RetryAfterResult(seconds, inner);

    /// <summary>A 429 naming the wait both in <c>Retry-After</c> and in the body's <c>retryAfter</c>
    /// (seconds): a page on another origin cannot read the header where CORS does not expose it.</summary>
    public static IResult TooMany(int seconds, string message) =>
        WithRetryAfter(seconds, Results.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [WholeRequest] = [message] })
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = TitleFor(StatusCodes.Status429TooManyRequests),
            Type = TypeFor(StatusCodes.Status429TooManyRequests),
            Extensions = { ["retryAfter"] = seconds },
        }));

    private sealed class RetryAfterResult(int seconds, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "The request is not valid: see errors.",
        413 => "The request body is too large.",
        401 => "Authentication required.",
        404 => "Not found.",
        409 => "Conflict.",
        415 => "The request body must be JSON.",
        422 => "The request cannot be processed: see errors.",
        429 => "Too many comments.",
        503 => "The service is unavailable.",
        _ => "The request failed.",
    };

    private static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        422 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
