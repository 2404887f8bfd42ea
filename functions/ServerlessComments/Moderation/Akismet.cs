using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Moderation;

/// <summary>Akismet settings (<c>Akismet__*</c>). Akismet is on when both the key and the blog URL are set.</summary>
public sealed class AkismetOptions
{
    public const string Section = "Akismet";

    public string ApiKey { get; set; } = "";
    public string BlogUrl { get; set; } = "";

    [Url]
    public string BaseUrl { get; set; } = "https://rest.akismet.com";

    /// <summary>Sends <c>is_test=1</c>, so that Akismet does not learn from these calls.</summary>
    public bool IsTest { get; set; }

    /// <summary>The blog's language(s) for <c>blog_lang</c>, e.g. <c>fr</c> or <c>fr, en</c>.</summary>
    public string BlogLang { get; set; } = "";

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How many times a comment is judged again after Akismet failed to answer before it
    /// is held with "spam check unavailable".</summary>
    [Range(0, 50)]
    public int MaxRetries { get; set; } = 6;

    /// <summary>The first wait before judging again; it doubles with each retry, up to an hour.</summary>
    [Range(1, 3600)]
    public int RetryDelaySeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(BlogUrl);

    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(3600, RetryDelaySeconds * Math.Pow(2, Math.Min(attempt, 20))));
}

public enum AkismetAnswer { Ham, Spam, Discard, Unavailable }

/// <summary>What Akismet needs to judge a comment, or to learn from the owner's decision.</summary>
public sealed record AkismetComment(
    string? Ip, string? UserAgent, string? Referrer, string? Permalink, bool IsReply,
    string Author, string Email, string? Website, string Body, DateTimeOffset CreatedAt, string? Honeypot)
{
    public static AkismetComment From(CommentSubmission c) =>
        new(c.Ip, c.UserAgent, c.Referrer, c.PageUrl, c.ParentId is not null, c.Author, c.Email, c.Website, c.Body, c.CreatedAt, c.Honeypot);
}

/// <summary>
/// Akismet's REST API (1.1): comment-check, submit-spam, submit-ham, verify-key. Every failure
/// (an error status, <c>invalid</c>, a timeout, no connection) is an answer of its own,
/// <see cref="AkismetAnswer.Unavailable"/>, never an exception, so that callers decide what it means.
/// </summary>
public sealed class AkismetClient(HttpClient http, IOptions<AkismetOptions> options, ILogger<AkismetClient> logger)
{
    private const string HoneypotField = "hp";
    private readonly AkismetOptions _options = options.Value;

    public bool IsConfigured => _options.IsConfigured;

    public async Task<(AkismetAnswer Answer, string Detail)> CheckAsync(AkismetComment comment, CancellationToken cancellationToken)
    {
        var (status, body, headers) = await PostAsync("comment-check", Fields(comment), cancellationToken);
        return body switch
        {
            "true" when headers.TryGetValues("X-akismet-pro-tip", out var tip) && tip.Contains("discard", StringComparer.OrdinalIgnoreCase)
                => (AkismetAnswer.Discard, "Akismet: blatant spam"),
            "true" => (AkismetAnswer.Spam, "Akismet: spam"),
            "false" => (AkismetAnswer.Ham, "Akismet: not spam"),
            _ => (AkismetAnswer.Unavailable, Describe(status, body, headers)),
        };
    }

    /// <summary>Tells Akismet the owner's decision (submit-spam or submit-ham). True when Akismet took it.</summary>
    public async Task<bool> SubmitAsync(AkismetComment comment, bool isSpam, CancellationToken cancellationToken)
    {
        var (status, body, headers) = await PostAsync(isSpam ? "submit-spam" : "submit-ham", Fields(comment), cancellationToken);
        var ok = status is >= 200 and < 300 && body.StartsWith("Thanks", StringComparison.OrdinalIgnoreCase);
        if (!ok)
            logger.LogWarning("Akismet did not take a {Kind}: {Detail}", isSpam ? "submit-spam" : "submit-ham", Describe(status, body, headers));
        return ok;
    }

    /// <summary>verify-key: "valid", "invalid", or "unavailable" when Akismet did not answer.</summary>
    public async Task<string> VerifyKeyAsync(CancellationToken cancellationToken)
    {
        var (_, body, _) = await PostAsync("verify-key", [new("blog", _options.BlogUrl)], cancellationToken);
        return body is "valid" or "invalid" ? body : "unavailable";
    }

    private List<KeyValuePair<string, string>> Fields(AkismetComment c)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("blog", _options.BlogUrl),
            new("user_ip", c.Ip ?? ""),
            new("user_agent", c.UserAgent ?? ""),
            new("referrer", c.Referrer ?? ""),
            new("permalink", c.Permalink ?? ""),
            new("comment_type", c.IsReply ? "reply" : "comment"),
            new("comment_author", c.Author),
            new("comment_author_email", c.Email),
            new("comment_author_url", c.Website ?? ""),
            new("comment_content", c.Body),
            new("comment_date_gmt", c.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            new("blog_charset", "UTF-8"),
            new("honeypot_field_name", HoneypotField),
            new(HoneypotField, c.Honeypot ?? ""),
        };
        if (!string.IsNullOrWhiteSpace(_options.BlogLang))
            fields.Add(new("blog_lang", _options.BlogLang));
        if (_options.IsTest)
            fields.Add(new("is_test", "1"));
        return fields;
    }

    private async Task<(int Status, string Body, System.Net.Http.Headers.HttpResponseHeaders Headers)> PostAsync(
        string method, List<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        fields.Insert(0, new("api_key", _options.ApiKey));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            using var response = await http.PostAsync($"{_options.BaseUrl.TrimEnd('/')}/1.1/{method}", new FormUrlEncodedContent(fields), timeout.Token);
            var body = (await response.Content.ReadAsStringAsync(timeout.Token)).Trim();
            return ((int)response.StatusCode, body, response.Headers);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Akismet {Method} did not answer: {Error}", method, e.Message);
            using var empty = new HttpResponseMessage();
            return (0, e is OperationCanceledException ? "timeout" : "no connection: " + e.Message, empty.Headers);
        }
    }

    private static string Describe(int status, string body, System.Net.Http.Headers.HttpResponseHeaders headers)
    {
        var help = headers.TryGetValues("X-akismet-debug-help", out var values) ? " (" + string.Join(" ", values) + ")" : "";
        return status == 0 ? $"Akismet unavailable: {body}" : $"Akismet answered {status} \"{Truncate(body)}\"{help}";
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
