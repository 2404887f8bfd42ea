using System.Text.Json;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Unit;

/// <summary>The Function App's build output tells the Functions host what to run: check it lists
/// each function with the intended trigger, route, methods and queue.</summary>
public class FunctionsMetadataTests
{
    [Theory]
    [InlineData("PostComment", "httpTrigger", "comments", "post", null)]
    [InlineData("GetThread", "httpTrigger", "comments", "get", null)]
    [InlineData("GetCounts", "httpTrigger", "comments/count", "get", null)]
    [InlineData("GetHealth", "httpTrigger", "health", "get", null)]
    [InlineData("GetOpenApi", "httpTrigger", "openapi.json", "get", null)]
    [InlineData("GetWidget", "httpTrigger", "widget/{file}", "get,head", null)]
    [InlineData("ProcessComment", "queueTrigger", null, null, "comments")]
    [InlineData("ListComments", "httpTrigger", "{area:regex(^admin$)}/comments", "get", null)]
    [InlineData("ApproveComment", "httpTrigger", "{area:regex(^admin$)}/comments/{id}/approve", "post", null)]
    [InlineData("MarkSpam", "httpTrigger", "{area:regex(^admin$)}/comments/{id}/spam", "post", null)]
    [InlineData("MarkHam", "httpTrigger", "{area:regex(^admin$)}/comments/{id}/ham", "post", null)]
    [InlineData("DeleteComment", "httpTrigger", "{area:regex(^admin$)}/comments/{id}", "delete", null)]
    [InlineData("ImportComments", "httpTrigger", "{area:regex(^admin$)}/import", "post", null)]
    [InlineData("ExportComments", "httpTrigger", "{area:regex(^admin$)}/export", "get", null)]
    [InlineData("FindPersonalData", "httpTrigger", "{area:regex(^admin$)}/personal-data", "get", null)]
    [InlineData("ErasePersonalData", "httpTrigger", "{area:regex(^admin$)}/personal-data/erase", "post", null)]
    [InlineData("ErasePrivateData", "timerTrigger", null, null, null)]
    [InlineData("SendNotification", "queueTrigger", null, null, "notifications")]
    [InlineData("ConfirmModeration", "httpTrigger", "moderate/{id}/{action}", "get", null)]
    [InlineData("Moderate", "httpTrigger", "moderate/{id}/{action}", "post", null)]
    [InlineData("ConfirmUnsubscribe", "httpTrigger", "unsubscribe/{id}", "get", null)]
    [InlineData("Unsubscribe", "httpTrigger", "unsubscribe/{id}", "post", null)]
    [InlineData("ConfirmRepliesPage", "httpTrigger", "confirm/{id}", "get", null)]
    [InlineData("ConfirmReplies", "httpTrigger", "confirm/{id}", "post", null)]
    [InlineData("GetConsole", "httpTrigger", "console", "get", null)]
    [InlineData("HoldComment", "httpTrigger", "{area:regex(^admin$)}/comments/{id}/hold", "post", null)]
    [InlineData("SignInWithKey", "httpTrigger", "{area:regex(^admin$)}/session/key", "post", null)]
    [InlineData("EditComment", "httpTrigger", "{area:regex(^admin$)}/comments/{id}", "patch", null)]
    [InlineData("RetrainSpamFilter", "timerTrigger", null, null, null)]
    [InlineData("GetSpamFilter", "httpTrigger", "{area:regex(^admin$)}/spam-filter", "get", null)]
    [InlineData("ResetSpamFilter", "httpTrigger", "{area:regex(^admin$)}/spam-filter/reset", "post", null)]
    public void Each_function_has_its_trigger(string name, string trigger, string? route, string? method, string? queue)
    {
        var path = Path.Combine(Repo.ProjectOutput("ServerlessComments.Functions"), "functions.metadata");
        Assert.True(File.Exists(path), $"{path} should exist after building the Function App");
        var functions = JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToList();
        // One HTTP function per route of the table (RouteTableTests checks which), and the four others
        // (two queue triggers, two timers).
        Assert.Equal(RouteTableTests.Table().Count + 4, functions.Count);

        var function = functions.Single(f => f.GetProperty("name").GetString() == name);
        var binding = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In");
        Assert.Equal(trigger, binding.GetProperty("type").GetString());
        if (route is not null)
        {
            Assert.Equal(route, binding.GetProperty("route").GetString());
            Assert.Equal(method!.Split(','), binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal("Anonymous", binding.GetProperty("authLevel").GetString());
        }
        if (queue is not null)
        {
            Assert.Equal(queue, binding.GetProperty("queueName").GetString());
            Assert.Equal("AzureWebJobsStorage", binding.GetProperty("connection").GetString());
        }
    }
}
