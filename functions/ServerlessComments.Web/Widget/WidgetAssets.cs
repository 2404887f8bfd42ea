using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ServerlessComments.Notifications;
using ServerlessComments.Processing;
using ServerlessComments.Texts;
using ServerlessComments.Threads;

namespace ServerlessComments.Web.Widget;

/// <summary>
/// The embeddable widget, served by the backend itself (<c>/api/widget/…</c>) so a blog needs one
/// script tag and the API and widget share an origin. Each script is an ES module bundled (and
/// minified) by esbuild at build time (see the project file); at start-up the bundle is wrapped
/// with English and one language's strings (one bundle per language) and the backend's settings, then gzipped, so a request is a lookup.
/// </summary>
public sealed class WidgetAssets
{
    /// <summary>Each script, with the strings it needs (null: all of them). The count-only script
    /// goes on every index page, so it carries only the counts' words.</summary>
    public static readonly IReadOnlyDictionary<string, string[]?> Scripts = new Dictionary<string, string[]?>
    {
        ["comments.js"] = null,
        ["count.js"] = ["count"],
    };
    public const string StyleSheet = "comments.css";

    public sealed record Asset(string ContentType, byte[] Body, byte[] Gzipped, string ETag);

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    /// <summary>The widget's files as kept in the public views container (<see cref="WidgetOptions.StaticBase"/>),
    /// by name there; empty when the option is off.</summary>
    public IReadOnlyDictionary<string, PublicFile> Published { get; }

    /// <summary>Where the public copies go in the views container: beside the thread keys' folders (64 hex digits).</summary>
    public const string PublishedFolder = "widget/";

    public WidgetAssets(IOptions<PrivacyOptions> privacy, IOptions<WidgetOptions>? widget = null, IOptions<NotificationOptions>? notifications = null,
        IOptions<Reactions.ReactionOptions>? reactions = null, IOptions<Faces.AvatarOptions>? avatars = null)
    {
        var languages = LanguageFiles();
        Languages = languages.Select(p => p.Key).ToList();
        var staticBase = widget?.Value.StaticBase ?? "";
        // What the privacy notice says must be what the backend does; with public views, the
        // widget reads first pages and counts there.
        var settings = new Dictionary<string, object> { ["retentionDays"] = privacy.Value.RetentionDays };
        if (staticBase.Length > 0)
            settings["staticBase"] = staticBase;
        // Likes and the page's emoji, unless the owner turned reactions off (then no button shows).
        var reacting = reactions?.Value ?? new Reactions.ReactionOptions();
        if (reacting.Enabled)
            settings["reactions"] = reacting.Emoji;
        // Identicons are drawn by the widget; only fetched pictures (Gravatar) are asked of the API.
        if (avatars?.Value.Gravatar == true)
            settings["avatarPictures"] = true;
        var published = new Dictionary<string, PublicFile>(StringComparer.Ordinal);
        // The public copy is not beside the API, so it carries the API's address.
        var publicSettings = new Dictionary<string, object>(settings) { ["api"] = (notifications?.Value.PublicBaseUrl ?? "").TrimEnd('/') + "/api/" };
        foreach (var (script, keys) in Scripts)
        {
            var code = Read("widget/" + script);
            if (keys is not null)
            {
                Add(code, script, script, StringsFor(languages, keys));
                continue;
            }
            // One bundle per language, English (the fallback) beside it, so a page downloads only its
            // own words: comments.js?lang=de (published as comments.de.js). Without ?lang, English
            // and French, as every embed had before.
            foreach (var lang in Languages)
                Add(code, script + "?lang=" + lang, Path.GetFileNameWithoutExtension(script) + "." + lang + ".js", StringsFor(Only(languages, PageLanguage.Fallback, lang), keys));
            Add(code, script, script, StringsFor(Only(languages, PageLanguage.Fallback, DefaultSecondLanguage), keys));
        }
        _assets[StyleSheet] = Build("text/css; charset=utf-8", Read("widget/" + StyleSheet));
        if (staticBase.Length > 0)
            published[PublishedFolder + StyleSheet] = Public(_assets[StyleSheet]);
        Published = published;

        void Add(string code, string name, string publishedName, string strings)
        {
            _assets[name] = Build("text/javascript; charset=utf-8", Bundle(strings, settings, code));
            if (staticBase.Length > 0)
                published[PublishedFolder + publishedName] = Public(Build("text/javascript; charset=utf-8", Bundle(strings, publicSettings, code)));
        }
    }

    // The modules read STRINGS and SETTINGS as free names: declared here, inside the wrapper, so
    // nothing leaks into the page's globals.
    private static string Bundle(string strings, Dictionary<string, object> settings, string code) =>
        $"(() => {{\n\"use strict\";\nconst STRINGS = {strings};\nconst SETTINGS = {JsonSerializer.Serialize(settings)};\n{code}}})();\n";

    // Storage does not negotiate encodings: the copy is stored gzipped (every browser takes gzip),
    // cached as the API's copy is.
    private static PublicFile Public(Asset asset) =>
        new(asset.Gzipped, asset.ContentType, "gzip", AssetCacheControl) { Version = asset.ETag.Trim('"') };

    /// <summary>How long a browser keeps the widget's files before revalidating them.</summary>
    public const string AssetCacheControl = "public, max-age=300";

    /// <summary>The language a script asked for without <c>?lang</c> carries beside English.</summary>
    public const string DefaultSecondLanguage = "fr";

    private static JsonObject Only(JsonObject languages, params string[] langs)
    {
        var chosen = new JsonObject();
        foreach (var lang in langs.Distinct(StringComparer.Ordinal))
        {
            if (languages[lang] is { } strings)
                chosen[lang] = strings.DeepClone();
        }
        return chosen;
    }

    /// <summary>The languages the widget speaks: the core's strings files (their <c>widget</c> section).</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>A file, and for a script that carries every word (comments.js) the bundle of the
    /// language <paramref name="lang"/> asks for (a page's tag: de, de-AT, zh-Hans → the strings file
    /// <see cref="PageLanguage"/> picks; an unknown one gets English only).</summary>
    public Asset? Find(string file, string? lang = null) =>
        string.IsNullOrEmpty(lang) || !Scripts.TryGetValue(file, out var keys) || keys is not null
            ? _assets.GetValueOrDefault(file)
            : _assets.GetValueOrDefault(file + "?lang=" + PageLanguage.Pick(lang[..Math.Min(lang.Length, 35)]));

    /// <summary><c>GET /api/widget/{file}?lang=…</c>: gzipped when the browser accepts it, cached for
    /// five minutes and revalidated by ETag, so a new version reaches blogs quickly. The query is part
    /// of the URL, so browsers and CDNs cache each language's bundle apart.</summary>
    public IResult Serve(string file, string? lang = null) =>
        Find(file, lang) is { } asset ? new AssetResult(asset) : Results.NotFound();

    private static JsonObject LanguageFiles()
    {
        var all = new JsonObject();
        foreach (var (lang, strings) in Strings.Section("widget").OrderBy(p => p.Key, StringComparer.Ordinal))
            all[lang] = strings;
        return all;
    }

    internal static string StringsFor(JsonObject languages, string[]? keys)
    {
        var chosen = new JsonObject();
        foreach (var (lang, strings) in languages)
        {
            var subset = new JsonObject();
            foreach (var (key, value) in strings!.AsObject())
            {
                if (keys is null || keys.Contains(key))
                    subset[key] = value!.DeepClone();
            }
            chosen[lang] = subset;
        }
        return chosen.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static string Read(string resource)
    {
        using var stream = typeof(WidgetAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The widget resource {resource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    internal static Asset Build(string contentType, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize))
            gzip.Write(body);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..16] + "\"";
        return new Asset(contentType, body, gzipped.ToArray(), etag);
    }

    /// <summary>Serves a built asset: ETag and 304, gzip when accepted; <paramref name="headers"/> adds the caller's own.</summary>
    internal sealed class AssetResult(Asset asset, string cacheControl = AssetCacheControl, Action<IHeaderDictionary>? extraHeaders = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var request = context.Request;
            var headers = context.Response.Headers;
            headers.ETag = asset.ETag;
            headers.CacheControl = cacheControl;
            extraHeaders?.Invoke(headers);
            headers.Vary = "Accept-Encoding";
            headers.XContentTypeOptions = "nosniff";
            // No CORS header of its own: a page loads the script and style sheet with plain <script>
            // and <link> tags, which CORS does not govern, and in Azure the platform's CORS would
            // add a second Access-Control-Allow-Origin beside this one.
            if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == asset.ETag || tag.Trim() == "*")))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            var gzip = AcceptsGzip(request);
            var body = gzip ? asset.Gzipped : asset.Body;
            if (gzip)
                headers.ContentEncoding = "gzip";
            context.Response.ContentType = asset.ContentType;
            context.Response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(request.Method))
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }

        private static bool AcceptsGzip(HttpRequest request) =>
            StringWithQualityHeaderValue.TryParseList([request.Headers.AcceptEncoding.ToString()], out var codings) &&
            codings.Any(c => c.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (c.Quality ?? 1) > 0);
    }
}
