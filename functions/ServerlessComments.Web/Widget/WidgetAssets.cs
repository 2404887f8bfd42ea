using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ServerlessComments.Processing;
using ServerlessComments.Texts;

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

    public WidgetAssets(IOptions<PrivacyOptions> privacy)
    {
        var languages = LanguageFiles();
        Languages = languages.Select(p => p.Key).ToList();
        // What the privacy notice says must be what the backend does.
        var settings = JsonSerializer.Serialize(new { retentionDays = privacy.Value.RetentionDays });
        foreach (var (script, keys) in Scripts)
        {
            if (keys is not null)
            {
                _assets[script] = Bundle(script, StringsFor(languages, keys), settings);
                continue;
            }
            // One bundle per language, English (the fallback) beside it, so a page downloads only its
            // own words: comments.js?lang=de. Without ?lang, English and French, as every embed had before.
            foreach (var lang in Languages)
                _assets[script + "?lang=" + lang] = Bundle(script, StringsFor(Only(languages, PageLanguage.Fallback, lang), keys), settings);
            _assets[script] = Bundle(script, StringsFor(Only(languages, PageLanguage.Fallback, DefaultSecondLanguage), keys), settings);
        }
        _assets[StyleSheet] = Build("text/css; charset=utf-8", Read("widget/" + StyleSheet));
    }

    /// <summary>The language a script asked for without <c>?lang</c> carries beside English.</summary>
    public const string DefaultSecondLanguage = "fr";

    // The modules read STRINGS and SETTINGS as free names: declared here, inside the
    // wrapper, so nothing leaks into the page's globals.
    private static Asset Bundle(string script, string strings, string settings) =>
        Build("text/javascript; charset=utf-8", $"(() => {{\n\"use strict\";\nconst STRINGS = {strings};\nconst SETTINGS = {settings};\n{Read("widget/" + script)}}})();\n");

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
    internal sealed class AssetResult(Asset asset, string cacheControl = "public, max-age=300", Action<IHeaderDictionary>? extraHeaders = null) : IResult
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
