using System.Text;
using Microsoft.AspNetCore.Http;
using ServerlessComments.Web.Widget;

namespace ServerlessComments.Web.Api;

/// <summary>
/// The API's OpenAPI 3.1 description, <c>GET /api/openapi.json</c>: a file written by hand beside
/// the route table (<c>Api/openapi.json</c>, embedded in the build), because the Function App has no
/// minimal-API endpoints to describe itself from. Tests hold it to the table (every route, method
/// and status, both ways) and run real requests and answers through a validating proxy built from it.
/// </summary>
public sealed class ApiDescription
{
    public const string Resource = "api/openapi.json";

    private readonly WidgetAssets.Asset _document = WidgetAssets.Build("application/json; charset=utf-8", Text());

    /// <summary>The document as built into this version.</summary>
    public static string Text()
    {
        using var stream = typeof(ApiDescription).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The resource {Resource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Public, cached five minutes, revalidated by ETag: it changes only with a new version.</summary>
    public IResult Serve() => new WidgetAssets.AssetResult(_document);
}
