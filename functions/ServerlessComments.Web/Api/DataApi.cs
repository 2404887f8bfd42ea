using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ServerlessComments.Comments;
using ServerlessComments.Export;
using ServerlessComments.Import;
using ServerlessComments.PersonalData;

namespace ServerlessComments.Web.Api;

/// <summary>
/// The owner's data routes under <c>/api/admin/</c> (the admin key, as every admin route):
/// import a file, export the site, and a person's data (find by address, erase). The rules are
/// the core's (<see cref="ImportingComments"/>, <see cref="SiteExport"/>,
/// <see cref="PersonalDataRequests"/>); this only reads the request and writes the answer.
/// </summary>
public sealed class DataApi(ImportingComments importing, SiteExport export, PersonalDataRequests personalData)
{
    /// <summary>An erase request is an address and a few words.</summary>
    public const int MaxEraseBytes = 4 * 1024;

    public sealed record EraseRequest(string? Email, string? Mode, bool? KeepText, string? Lang, bool? KeepListed);

    /// <summary><c>POST /api/admin/import?format=wxr|disqus|json&amp;dryRun=&amp;map=path|url|identifier&amp;rewrite=OLD=NEW&amp;pingbacks=import|skip&amp;lang=</c>, the file as the body.</summary>
    public async Task<IResult> ImportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var format = query["format"].ToString();
        if (!ImportFormat.All.Contains(format))
            return Problems.Field("format", $"format must be {string.Join(", ", ImportFormat.All)}.");
        var map = query["map"].ToString() is { Length: > 0 } m ? m : "path";
        if (!Enum.TryParse<ThreadMapping>(map, ignoreCase: true, out var mapping) || int.TryParse(map, out _))
            return Problems.Field("map", "map must be path, url or identifier.");
        var pingbacks = query["pingbacks"].ToString() is { Length: > 0 } p ? p : "skip";
        if (pingbacks is not ("import" or "skip"))
            return Problems.Field("pingbacks", "pingbacks must be import or skip.");
        var dryRun = query["dryRun"].ToString() is { Length: > 0 } d ? d : "false";
        if (dryRun is not ("true" or "false"))
            return Problems.Field("dryRun", "dryRun must be true or false.");
        var rewrites = new List<(string, string)>();
        foreach (var rewrite in query["rewrite"])
        {
            if (ImportOptions.ParseRewrite(rewrite ?? "") is not { } pair)
                return Problems.Field("rewrite", "rewrite takes OLD=NEW, e.g. https://old.example.com=https://blog.example.com.");
            rewrites.Add(pair);
        }
        // An export is as large as the blog's history: read as a stream, never whole, so the
        // server's default body limit (made for comments) is raised here, to a cap still.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = ImportingComments.MaxFileBytes;
        try
        {
            var summary = await importing.ImportAsync(request.Body, new ImportOptions
            {
                Format = format, Map = mapping, Rewrites = rewrites, ImportPingbacks = pingbacks == "import", DryRun = dryRun == "true",
                Lang = query["lang"].ToString() is { Length: > 0 } lang ? lang : null,
            }, cancellationToken);
            // A file that gave nothing (a WordPress.com file read as something else, only private
            // notes…) is not a success: say what was seen.
            if (summary.NothingFound)
                return Problems.Field("body", summary.Why());
            return TypedResults.Ok(Summary(summary));
        }
        catch (ImportFileException e)
        {
            return Problems.Field("body", e.Message + (e.Summary is { } s ? $" What came before it was stored: {s}" : "") +
                                          " Importing the fixed file again finishes the job.");
        }
    }

    public static object Summary(ImportSummary s) => new
    {
        s.DryRun, s.Read, s.Imported, s.AlreadyThere, s.Orphans, s.Truncated, s.Threads, s.Skipped, s.HeldBack, Text = s.ToString(),
    };

    /// <summary><c>GET /api/admin/export?format=json|wxr|disqus&amp;blogUrl=…</c>: streamed, as a download.</summary>
    public async Task<IResult> ExportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var format = request.Query["format"].ToString() is { Length: > 0 } f ? f : ExportFormat.Json;
        if (!ExportFormat.All.Contains(format))
            return Problems.Field("format", $"format must be {string.Join(", ", ExportFormat.All)}.");
        string? blogUrl = request.Query["blogUrl"].ToString() is { Length: > 0 } b ? b : null;
        if (blogUrl is not null && !(Uri.TryCreate(blogUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            return Problems.Field("blogUrl", "blogUrl must be the blog's absolute http(s) address.");
        return Results.Stream(
            output => export.WriteAsync(format, output, blogUrl, cancellationToken),
            ExportFormat.ContentType(format) + "; charset=utf-8", ExportFormat.FileName(format));
    }

    /// <summary><c>GET /api/admin/personal-data?email=…</c>: every comment written with the address, with everything stored about it.</summary>
    public async Task<IResult> FindAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Email(request.Query["email"].ToString()) is not { } email)
            return Problems.Field("email", "email must be an email address.");
        var comments = new List<ExportedComment>();
        await foreach (var comment in personalData.FindAsync(email, cancellationToken))
            comments.Add(ExportedComment.From(comment));
        return TypedResults.Ok(new { Email = email, Comments = comments });
    }

    /// <summary><c>POST /api/admin/personal-data/erase</c> with <c>{"email", "mode": "delete"|"anonymise", "keepText": bool, "lang", "keepListed": bool}</c>.</summary>
    public async Task<IResult> EraseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = JsonBody.Of<EraseRequest>(request);
        if (Email(body.Email) is not { } email)
            return Problems.Field("email", "email must be an email address.");
        var mode = body.Mode ?? "";
        if (!EraseMode.All.Contains(mode))
            return Problems.Field("mode", "mode must be delete or anonymise.");
        var summary = await personalData.EraseAsync(email, mode, body.KeepText ?? false, body.Lang, cancellationToken, keepListed: body.KeepListed ?? false);
        return TypedResults.Ok(summary);
    }

    private static string? Email(string? text) =>
        text?.Trim() is { Length: > 0 and <= CommentValidator.MaxEmailLength } email && email.Contains('@') && !email.Any(char.IsControl) ? email : null;
}
