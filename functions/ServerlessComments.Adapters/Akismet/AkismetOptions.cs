using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Adapters.Akismet;

/// <summary>Akismet settings (<c>Akismet__*</c>). Akismet is on when both the key and the blog URL are set.
/// (<c>Akismet__MaxRetries</c> and <c>__RetryDelaySeconds</c> are the core's <c>SpamRetryOptions</c>.)</summary>
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

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(BlogUrl);
}
