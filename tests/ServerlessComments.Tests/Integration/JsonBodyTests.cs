using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Tests.Unit;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Tests.Integration;

/// <summary>
/// Every route the table declares with a JSON body goes through the one reader at the edge: a body
/// one byte over the route's cap is 413 naming the request, whether its Content-Length says so or
/// it comes in chunks without one, and nothing is stored, queued or sent. Each body is one the
/// route would otherwise accept (valid JSON, padded with white space), so a missing cap shows.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class JsonBodyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Thread = "/json-body/";
    private const string Owner = "owner@blog.example.com";
    private SelfHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
    {
        ["Admin__ApiKey"] = Api.AdminKey,
        ["Notifications__OwnerEmail"] = Owner,
        ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
    });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A body each route would accept, by route name; {id} is a stored comment's id.</summary>
    private static readonly Dictionary<string, object> Accepted = new()
    {
        ["PostComment"] = new { thread = Thread, author = "Ann", email = "ann@example.com", body = "Over the cap" },
        ["EditComment"] = new { body = "Edited beyond the cap" },
        ["ReplyAsOwner"] = new { body = "A reply beyond the cap" },
        ["DecideMany"] = new { action = "spam", ids = new[] { "{id}" } },
        ["SaveLists"] = new { blockWords = new[] { "capped" } },
        ["RequestSignInLink"] = new { email = Owner },
        ["SignInWithKey"] = new { key = Api.AdminKey },
        ["ErasePersonalData"] = new { email = "ann@example.com", mode = "delete" },
        ["AddReaction"] = new { thread = Thread, comment = "{id}", reader = "json-body-reader-0001" },
        ["RemoveReaction"] = new { thread = Thread, comment = "{id}", reader = "json-body-reader-0001" },
        ["RequestYourDataLink"] = new { email = "ann@example.com", lang = "en" },
        ["EditOwnComment"] = new { body = "A reader's edit beyond the cap" },
        ["PreviewComment"] = new { body = "A *preview* beyond the cap" },
    };

    private async Task<string> SnapshotAsync()
    {
        var rows = new List<string>();
        await foreach (var entity in _host.Table.QueryAsync<TableEntity>())
            rows.Add($"{entity.PartitionKey}/{entity.RowKey}@{entity.ETag}");
        var queued = (await _host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        var notifications = await _host.NotificationQueue.ExistsAsync() ? (await _host.NotificationQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        var outbox = Directory.Exists(_host.OutboxPath) ? Directory.GetFiles(_host.OutboxPath).Length : 0;
        return string.Join('\n', rows.Order(StringComparer.Ordinal)) + $"\nqueued {queued}, notifications {notifications}, outbox {outbox}";
    }

    private HttpRequestMessage Request(ApiRoute route, string id, byte[] body, bool chunked)
    {
        var path = route.Pattern.Replace("{id}", id);
        var request = new HttpRequestMessage(new HttpMethod(route.Methods.Single()), "api/" + path);
        var content = chunked ? (HttpContent)new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Content = content;
        if (chunked)
            request.Headers.TransferEncodingChunked = true;
        if (route.Access == Access.Owner)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Api.AdminKey);
        request.Headers.Add("Origin", _host.BaseAddress.GetLeftPart(UriPartial.Authority));
        return request;
    }

    /// <summary>The accepted body, padded with white space to <paramref name="size"/> bytes: still valid JSON.</summary>
    private static byte[] Padded(object value, string id, int size)
    {
        var json = JsonSerializer.Serialize(value, JsonSerializerOptions.Web).Replace("{id}", id);
        return Encoding.UTF8.GetBytes(json[..^1] + new string(' ', size - Encoding.UTF8.GetByteCount(json)) + "}");
    }

    [Fact]
    public async Task Every_route_with_a_json_body_refuses_one_over_its_cap_with_413_and_changes_nothing()
    {
        var routes = RouteTableTests.Table().Where(r => r.Body is not null).ToList();
        Assert.Equal(Accepted.Keys.Order(), routes.Select(r => r.Name).Order());

        var id = await _host.PostAcceptedAsync(Api.Comment(Thread, "The comment the owner's routes name"));
        await _host.StoredAsync(id);
        await _host.DrainedAsync();
        // The owner's alert about it is sent (and its ledger row written) before the snapshot.
        await Eventually.HoldsAsync(async () => Directory.Exists(_host.OutboxPath) && Directory.GetFiles(_host.OutboxPath).Length > 0 &&
            (await _host.NotificationQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the owner's alert to be sent");
        var before = await SnapshotAsync();

        foreach (var route in routes)
        {
            foreach (var chunked in new[] { false, true })
            {
                using var request = Request(route, id, Padded(Accepted[route.Name], id, route.Body!.MaxBytes + 1), chunked);
                using var response = await _host.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge,
                    $"{route.Name} ({(chunked ? "chunked" : "with Content-Length")}): expected 413, got {(int)response.StatusCode}: {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(Problems.WholeRequest, out _), text);
            }
        }

        await _host.DrainedAsync();
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_body_at_its_cap_is_read_and_a_wrong_type_is_named_on_every_route()
    {
        var id = await _host.PostAcceptedAsync(Api.Comment(Thread, "The comment the owner's routes name"));
        await _host.StoredAsync(id);
        foreach (var route in RouteTableTests.Table().Where(r => r.Body is not null))
        {
            // Exactly at the cap: not refused for its size (what it does then is the route's business).
            using (var request = Request(route, id, Padded(Accepted[route.Name], id, route.Body!.MaxBytes), chunked: true))
            {
                using var response = await _host.Http.SendAsync(request);
                Assert.True((int)response.StatusCode is not (413 or 415 or 500), $"{route.Name} at its cap: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            // The first property of its body, sent as a number: 400 naming that property.
            var first = JsonSerializer.SerializeToElement(Accepted[route.Name], JsonSerializerOptions.Web).EnumerateObject().First().Name;
            using (var request = Request(route, id, Encoding.UTF8.GetBytes($"{{\"{first}\": 12}}"), chunked: false))
            {
                using var response = await _host.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{route.Name}: expected 400, got {(int)response.StatusCode}: {text}");
                Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(first, out _), $"{route.Name}: {text}");
            }
        }
    }
}
