using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>The API as a page and as the owner use it, for the tests.</summary>
public static class Api
{
    public const string AdminKey = "owner-secret-key-for-tests-0123456789abcdef";

    public static async Task<HttpResponseMessage> PostAsync(this SelfHost host, object comment, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/comments") { Content = JsonContent.Create(comment) };
        configure?.Invoke(request);
        return await host.Http.SendAsync(request);
    }

    /// <summary>Posts a comment that must be accepted; returns its id.</summary>
    public static async Task<string> PostAcceptedAsync(this SelfHost host, object comment, Action<HttpRequestMessage>? configure = null)
    {
        var response = await host.PostAsync(comment, configure);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> AdminAsync(this SelfHost host, HttpMethod method, string path, string? key = AdminKey)
    {
        var request = new HttpRequestMessage(method, "api/admin/" + path);
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await host.Http.SendAsync(request);
    }

    public static async Task<JsonElement> AdminListAsync(this SelfHost host, string status, string query = "")
    {
        var response = await host.AdminAsync(HttpMethod.Get, $"comments?status={status}{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The stored comment with this id as the owner sees it, whatever its status; null if none.</summary>
    public static async Task<JsonElement?> FindAsync(this SelfHost host, string id)
    {
        foreach (var status in new[] { "published", "pending", "spam" })
        {
            var page = await host.AdminListAsync(status, "&pageSize=200");
            foreach (var comment in page.GetProperty("comments").EnumerateArray())
            {
                if (comment.GetProperty("id").GetString() == id)
                    return comment;
            }
        }
        return null;
    }

    /// <summary>Waits until the comment is stored and returns it as the owner sees it.</summary>
    public static async Task<JsonElement> StoredAsync(this SelfHost host, string id)
    {
        JsonElement? found = null;
        await Eventually.HoldsAsync(async () => (found = await host.FindAsync(id)) is not null, $"comment {id} to be stored");
        return found!.Value;
    }

    /// <summary>Waits until every queued message has been processed (or put off with a delay).</summary>
    public static Task DrainedAsync(this SelfHost host) =>
        Eventually.HoldsAsync(async () => (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the queue to drain");

    public static async Task<int> CountAsync(this SelfHost host, string thread) =>
        (await host.GetThreadAsync(thread)).GetProperty("count").GetInt32();

    public static object Comment(string thread, string body, string author = "Ann", string email = "ann@example.com",
        string? website = null, string? parentId = null, string? hp = null) =>
        new { thread, body, author, email, website, parentId, hp, pageUrl = "https://blog.example.com" + thread };
}
