using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Notifications;
using ServerlessComments.Texts;
using ServerlessComments.Web.Widget;

namespace ServerlessComments.Web.Console;

/// <summary>
/// The owner's console: a page and its script and style sheet, served by the backend at
/// <c>/api/console</c> (same origin as the API, so its session cookie is SameSite=Strict and
/// needs no CORS). Built once at start-up like the widget: the script (ES modules bundled by
/// esbuild at build time, with the widget's shared <c>dom.js</c>) wrapped with the
/// <c>console</c> strings of every language. Every answer forbids framing, inline script and
/// any request to another origin.
/// </summary>
public sealed class ConsoleAssets
{
    public const string Page = "console.html";
    public static readonly string[] Files = ["console.js", "console.css"];

    /// <summary>What the console's answers allow: its own script, style and API, nothing inline, no frame.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly Dictionary<string, WidgetAssets.Asset> _assets = new(StringComparer.Ordinal);

    public ConsoleAssets(IOptions<NotificationOptions> notifications)
    {
        var lang = Strings.For(notifications.Value.Lang);
        var languages = new JsonObject();
        foreach (var (code, strings) in Strings.Section("console").OrderBy(p => p.Key, StringComparer.Ordinal))
            languages[code] = strings;
        if (Read("console/" + Page) is { } page)
        {
            var title = Strings.Section("console").TryGetValue(lang.Lang, out var section) && section?["title"] is { } t ? t.ToString() : "Comments";
            var html = page.Replace("{{lang}}", lang.Lang).Replace("{{title}}", System.Net.WebUtility.HtmlEncode(title + " · " + notifications.Value.SiteName));
            _assets[Page] = WidgetAssets.Build("text/html; charset=utf-8", html);
        }
        if (Read("console/console.js") is { } script)
        {
            var strings = WidgetAssets.StringsFor(languages, null);
            _assets["console.js"] = WidgetAssets.Build("text/javascript; charset=utf-8", $"(() => {{\n\"use strict\";\nconst STRINGS = {strings};\n{script}}})();\n");
        }
        if (Read("console/console.css") is { } css)
            _assets["console.css"] = WidgetAssets.Build("text/css; charset=utf-8", css);
    }

    public WidgetAssets.Asset? Find(string file) => _assets.GetValueOrDefault(file);

    /// <summary><c>GET /api/console</c> and <c>GET /api/console/{file}</c>. The page is revalidated on
    /// every load (a new version shows at once); the scripts are cached five minutes, like the widget's.</summary>
    public IResult Serve(string file) =>
        Find(file) is { } asset
            ? new WidgetAssets.AssetResult(asset, file == Page ? "no-cache" : "private, max-age=300", SecurityHeaders)
            : Results.NotFound();

    public static void SecurityHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
    }

    private static string? Read(string resource)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream(resource);
        if (stream is null)
            return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
