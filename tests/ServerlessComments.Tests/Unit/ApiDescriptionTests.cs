using System.Text.Json;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Tests.Unit;

/// <summary>
/// The OpenAPI description is written by hand beside the route table; these tests hold the two
/// together: every route, method and status of the table is in the document and the document has
/// nothing more, each operation says who may use it as the table does, and a route with a JSON body
/// declares one (and only such a route).
/// </summary>
public class ApiDescriptionTests
{
    private static readonly string[] Methods = ["get", "head", "post", "put", "patch", "delete"];

    private static JsonElement Document() => JsonDocument.Parse(ApiDescription.Text()).RootElement;

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(m => Methods.Contains(m.Name))
            .Select(m => (m.Name.ToUpperInvariant(), path.Name, m.Value)));

    private static string PathOf(ApiRoute route) => "/" + Routes.Prefix + "/" + route.Pattern;

    [Fact]
    public void Every_route_method_and_status_of_the_table_is_in_the_description_and_nothing_else()
    {
        var table = RouteTableTests.Table()
            .SelectMany(r => r.Methods.SelectMany(m => r.AllStatuses.Select(s => $"{m} {PathOf(r)} {s} ({r.Name})")))
            .Order(StringComparer.Ordinal).ToList();
        var described = Operations(Document())
            .SelectMany(o => o.Operation.GetProperty("responses").EnumerateObject()
                .Select(s => $"{o.Method} {o.Path} {s.Name} ({o.Operation.GetProperty("x-route").GetString()})"))
            .Order(StringComparer.Ordinal).ToList();
        var missing = table.Except(described).ToList();
        var extra = described.Except(table).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "not described: " + string.Join(", ", missing) + "\ndescribed but not in the table: " + string.Join(", ", extra));
        Assert.Equal(table.Count, described.Count);
    }

    [Fact]
    public void Each_operation_says_who_may_use_it_and_takes_a_json_body_exactly_when_its_route_does()
    {
        var routes = RouteTableTests.Table().ToDictionary(r => r.Name);
        var operations = Operations(Document()).ToList();
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        foreach (var (method, path, operation) in operations)
        {
            var route = routes[operation.GetProperty("x-route").GetString()!];
            var schemes = operation.GetProperty("security").EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).Order().ToList();
            Assert.True((route.Access == Access.Owner ? ["bearer", "session"] : new List<string>()).SequenceEqual(schemes),
                $"{method} {path}: security [{string.Join(", ", schemes)}] for a route of access {route.Access}");
            var json = operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out _) &&
                       !path.EndsWith("/import", StringComparison.Ordinal);
            Assert.True(json == route.Body is not null, $"{method} {path}: JSON body described {json}, declared {route.Body is not null}");
        }
    }

    /// <summary>The closed sets of words the document lists are the core's enums, word for word.</summary>
    [Fact]
    public void The_described_words_are_the_cores_enums()
    {
        var schemas = Document().GetProperty("components").GetProperty("schemas");
        string[] Words(string schema) => [.. schemas.GetProperty(schema).GetProperty("enum").EnumerateArray().Select(w => w.GetString()!)];
        Assert.Equal(Enum.GetValues<Comments.CommentStatus>().Select(Comments.CommentStatuses.Word), Words("CommentStatus"));
        Assert.Equal(Enum.GetValues<Owner.OwnerDecision>().Select(Owner.OwnerDecisions.Word), Words("Decision"));
    }

    [Fact]
    public void The_description_is_openapi_3_1_and_every_reference_resolves()
    {
        var document = Document();
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var references = new List<string>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "$ref")
                        references.Add(p.Value.GetString()!);
                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                    Walk(item);
            }
        }
        Walk(document);
        Assert.NotEmpty(references);
        foreach (var reference in references.Distinct())
        {
            Assert.StartsWith("#/components/schemas/", reference);
            Assert.True(schemas.TryGetProperty(reference["#/components/schemas/".Length..], out _), reference + " does not resolve");
        }
    }
}
