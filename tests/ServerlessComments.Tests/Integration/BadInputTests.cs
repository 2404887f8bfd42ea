using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>Every refused request gets its status and a problem+json naming the field, and
/// changes nothing: nothing is enqueued, so nothing is ever stored.</summary>
[Collection(StorageCollection.Name)]
public sealed class BadInputTests(AzuriteFixture azurite) : SelfHostTest(azurite)
{
    private const string Thread = "/bad-input/";

    private static object Valid(string? body = "Hello", string thread = Thread) =>
        new { thread, author = "Ann", email = "ann@example.com", body };

    private static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    private static HttpContent Json(object value) => Json(JsonSerializer.Serialize(value, JsonSerializerOptions.Web));

    private async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"errors should name '{field}': {text}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    private Task<HttpResponseMessage> Post(HttpContent content) => Host.Http.PostAsync("api/comments", content);

    [Fact]
    public async Task Each_bad_request_gets_its_status_and_nothing_is_stored()
    {
        // A comment stored in another thread, to reply to from the wrong one.
        var other = await Post(Json(Valid(thread: "/other-post/")));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Eventually.HoldsAsync(async () => (await Host.GetThreadAsync("/other-post/")).GetProperty("count").GetInt32() == 1, "the other thread's comment to be stored");

        await AssertProblem(await Post(Json("{\"thread\": \"/x/\", ")), HttpStatusCode.BadRequest, "$");
        await AssertProblem(await Post(Json("[1, 2]")), HttpStatusCode.BadRequest, "$");
        await AssertProblem(await Post(Json("")), HttpStatusCode.BadRequest, "$");
        await AssertProblem(await Post(Json("null")), HttpStatusCode.BadRequest, "$");
        await AssertProblem(await Post(Json("\"just a string\"")), HttpStatusCode.BadRequest, "$");
        await AssertProblem(await Post(Json("{\"thread\":\"/x/\",\"author\":5,\"email\":\"a@b.c\",\"body\":\"b\"}")), HttpStatusCode.BadRequest, "author");
        await AssertProblem(await Post(Json("{\"thread\":\"/x/\",\"author\":\"A\",\"email\":\"a@b.c\",\"body\":\"b\",\"notifyOnReply\":\"yes\"}")), HttpStatusCode.BadRequest, "notifyOnReply");
        await AssertProblem(await Post(Json("{\"thread\":[\"/x/\"],\"author\":\"A\",\"email\":\"a@b.c\",\"body\":\"b\"}")), HttpStatusCode.BadRequest, "thread");

        foreach (var field in new[] { "thread", "author", "email", "body" })
            await AssertProblem(await Post(Json("{}")), HttpStatusCode.BadRequest, field);

        await AssertProblem(await Post(Json(new { thread = Thread, author = "Ann", email = "not-an-email", body = "b" })), HttpStatusCode.BadRequest, "email");
        await AssertProblem(await Post(Json(new { thread = Thread, author = "Ann", email = "a@b.c", body = "b", website = "javascript:alert(1)" })), HttpStatusCode.BadRequest, "website");
        await AssertProblem(await Post(Json(new { thread = Thread, author = "Ann", email = "a@b.c", body = "b", pageUrl = "not a url" })), HttpStatusCode.BadRequest, "pageUrl");
        await AssertProblem(await Post(Json(new { thread = new string('t', 401), author = "Ann", email = "a@b.c", body = "b" })), HttpStatusCode.BadRequest, "thread");
        await AssertProblem(await Post(Json(new { thread = "/a\u0001b/", author = "Ann", email = "a@b.c", body = "b" })), HttpStatusCode.BadRequest, "thread");
        await AssertProblem(await Post(Json(Valid(body: new string('x', 10_001)))), HttpStatusCode.BadRequest, "body");
        await AssertProblem(await Post(Json(Valid(body: " \n "))), HttpStatusCode.BadRequest, "body");
        await AssertProblem(await Post(Json(new { thread = Thread, author = new string('a', 81), email = "a@b.c", body = "b" })), HttpStatusCode.BadRequest, "author");

        // parentId: malformed, unknown, or a comment of another thread.
        await AssertProblem(await Post(Json(new { thread = Thread, author = "Ann", email = "a@b.c", body = "b", parentId = "nope" })), HttpStatusCode.BadRequest, "parentId");
        await AssertProblem(await Post(Json(new { thread = Thread, author = "Ann", email = "a@b.c", body = "b", parentId = new string('0', 32) })), HttpStatusCode.BadRequest, "parentId");
        await AssertProblem(await Post(Json(new { thread = Thread, author = "Ann", email = "a@b.c", body = "b", parentId = otherId })), HttpStatusCode.BadRequest, "parentId");

        // Over 256 KiB: refused on its Content-Length, and when streamed without one.
        var huge = JsonSerializer.Serialize(Valid(body: new string('x', 270_000)), JsonSerializerOptions.Web);
        await AssertProblem(await Post(Json(huge)), HttpStatusCode.RequestEntityTooLarge, "$");
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/comments") { Content = chunked })
        {
            request.Headers.TransferEncodingChunked = true;
            await AssertProblem(await Host.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "$");
        }

        // Not JSON.
        await AssertProblem(await Post(new StringContent(JsonSerializer.Serialize(Valid()), Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "$");
        await AssertProblem(await Post(new FormUrlEncodedContent(new Dictionary<string, string> { ["thread"] = Thread })), HttpStatusCode.UnsupportedMediaType, "$");
        await AssertProblem(await Post(new ByteArrayContent(Encoding.UTF8.GetBytes("{}"))), HttpStatusCode.UnsupportedMediaType, "$");

        // Reads with bad parameters.
        await AssertProblem(await Host.Http.GetAsync("api/comments"), HttpStatusCode.BadRequest, "thread");
        await AssertProblem(await Host.Http.GetAsync("api/comments?thread=a&thread=b"), HttpStatusCode.BadRequest, "thread");
        await AssertProblem(await Host.Http.GetAsync("api/comments/count"), HttpStatusCode.BadRequest, "thread");
        var tooMany = string.Join('&', Enumerable.Range(0, 51).Select(i => $"thread=%2Fp{i}%2F"));
        await AssertProblem(await Host.Http.GetAsync("api/comments/count?" + tooMany), HttpStatusCode.BadRequest, "thread");
        var fifty = string.Join('&', Enumerable.Range(0, 50).Select(i => $"thread=%2Fp{i}%2F"));
        Assert.Equal(50, (await Host.Http.GetFromJsonAsync<JsonElement>("api/comments/count?" + fifty)).GetProperty("counts").EnumerateObject().Count());

        // Nothing was enqueued: once the queue is drained, the only comment stored is the one accepted.
        await Eventually.HoldsAsync(async () => (await Host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the queue to be empty");
        var stored = new List<TableEntity>();
        await foreach (var entity in Host.Table.QueryAsync<TableEntity>())
        {
            // Comment rows, not the index rows beside them nor the thread's view state (~view).
            if (!entity.PartitionKey.StartsWith('~') && !entity.RowKey.StartsWith('~'))
                stored.Add(entity);
        }
        Assert.Equal([otherId], stored.Select(e => e.RowKey));
        Assert.False(await Host.PoisonQueue.ExistsAsync());
    }
}
