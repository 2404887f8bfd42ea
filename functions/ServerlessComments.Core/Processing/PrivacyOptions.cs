using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Processing;

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary><c>Privacy__RetentionDays</c>: how long a comment keeps the IP and user agent it came with.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;
}
