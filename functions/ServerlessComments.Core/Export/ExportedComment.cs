using System.Text.Json.Serialization;
using ServerlessComments.Comments;

namespace ServerlessComments.Export;

/// <summary>The formats the whole site is exported in.</summary>
public static class ExportFormat
{
    public const string Json = "json";
    public const string Wxr = "wxr";
    public const string Disqus = "disqus";
    public static readonly string[] All = [Json, Wxr, Disqus];

    public static string ContentType(string format) => format == Json ? "application/json" : "application/xml";
    public static string FileName(string format) => "comments-" + format + (format == Json ? ".json" : ".xml");
}

/// <summary>
/// One comment of this product's JSON export: everything stored about it (the export is the
/// owner's backup and is re-imported with nothing lost), its thread named on every comment so
/// the file is one flat array that can be written and read a comment at a time. Nesting is
/// <see cref="ParentId"/>. The honeypot field, a spam signal, is not exported.
/// </summary>
public sealed record ExportedComment
{
    public required string Thread { get; init; }
    public required string Id { get; init; }
    public string? ParentId { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Author { get; init; }
    public string Email { get; init; } = "";
    public string? Website { get; init; }
    public required string Body { get; init; }
    public bool ByOwner { get; init; }
    public DateTimeOffset? EditedAt { get; init; }
    public bool NotifyOnReply { get; init; }
    public string? Lang { get; init; }
    public string? PageUrl { get; init; }
    public string? PageTitle { get; init; }
    public IReadOnlyList<string> Reasons { get; init; } = [];
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? Referrer { get; init; }
    /// <summary>The texts its author replaced by editing, oldest first (left out when never edited):
    /// stored about them, so in their download and the owner's backup.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CommentRevision>? History { get; init; }

    public static ExportedComment From(StoredComment c) => new()
    {
        Thread = c.Thread, Id = c.Id, ParentId = c.ParentId, Status = c.Status.Word(), CreatedAt = c.CreatedAt.ToUniversalTime(), Author = c.Author,
        Email = c.Email, Website = c.Website, Body = c.Body, ByOwner = c.ByOwner, EditedAt = c.EditedAt?.ToUniversalTime(), NotifyOnReply = c.NotifyOnReply, Lang = c.Lang,
        PageUrl = c.PageUrl, PageTitle = c.PageTitle, Reasons = c.Reasons, Ip = c.Ip, UserAgent = c.UserAgent, Referrer = c.Referrer,
        History = c.History.Count == 0 ? null : c.History.Select(r => r with { At = r.At.ToUniversalTime() }).ToList(),
    };
}
