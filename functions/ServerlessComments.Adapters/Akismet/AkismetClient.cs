using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Moderation;

namespace ServerlessComments.Adapters.Akismet;

/// <summary>
/// Akismet's REST API (1.1): comment-check, submit-spam, submit-ham, verify-key. Every failure
/// (an error status, <c>invalid</c>, a timeout, no connection) is an answer of its own,
/// <see cref="SpamAnswer.Unavailable"/>, never an exception, so that callers decide what it means.
/// </summary>
public sealed class AkismetClient(HttpClient http, IOptions<AkismetOptions> options, ILogger<AkismetClient> logger) : ISpamService
{
    private const string HoneypotField = "hp";
    private readonly AkismetOptions _options = options.Value;

    public bool IsConfigured => _options.IsConfigured;

    public async Task<(SpamAnswer Answer, string Detail)> CheckAsync(SpamCheck comment, CancellationToken cancellationToken)
    {
        var (status, body, headers) = await PostAsync("comment-check", Fields(comment), cancellationToken);
        return body switch
        {
            "true" when headers.TryGetValues("X-akismet-pro-tip", out var tip) && tip.Contains("discard", StringComparer.OrdinalIgnoreCase)
                => (SpamAnswer.Discard, "Akismet: blatant spam"),
            "true" => (SpamAnswer.Spam, "Akismet: spam"),
            "false" => (SpamAnswer.Ham, "Akismet: not spam"),
            _ => (SpamAnswer.Unavailable, Describe(status, body, headers)),
        };
    }

    /// <summary>Tells Akismet the owner's decision (submit-spam or submit-ham). True when Akismet took it.</summary>
    public async Task<bool> SubmitAsync(SpamCheck comment, bool isSpam, CancellationToken cancellationToken)
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

    private List<KeyValuePair<string, string>> Fields(SpamCheck c)
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
