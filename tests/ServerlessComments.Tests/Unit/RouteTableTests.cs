using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessComments.Owner;
using ServerlessComments.Testing;
using ServerlessComments.Web.Api;

namespace ServerlessComments.Tests.Unit;

/// <summary>
/// The route table is written once; the self-host maps it in a loop and the Function App mirrors
/// it with one class per route. These tests hold the two hosts to the same API: every route of
/// the table has exactly one HTTP function with its name, path and methods in the Function App's
/// functions.metadata, there is no HTTP function the table lacks, and both hosts' queue triggers
/// name the same functions and queues.
/// </summary>
public class RouteTableTests
{
    internal static IReadOnlyList<ApiRoute> Table()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddCommentServices(configuration).AddAzureStorage(configuration).AddAkismet(configuration).AddEmail(configuration).AddPictures().BuildServiceProvider();
        return services.GetRequiredService<ApiRoutes>().All;
    }

    private static List<JsonElement> Functions()
    {
        var path = Path.Combine(Repo.ProjectOutput("ServerlessComments.Functions"), "functions.metadata");
        Assert.True(File.Exists(path), $"{path} should exist after building the Function App");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().ToList();
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In");

    [Fact]
    public void Every_route_has_exactly_one_function_with_its_path_and_methods()
    {
        var functions = Functions();
        var table = Table();
        Assert.Equal(table.Count, table.Select(r => r.Name).Distinct().Count());
        foreach (var route in table)
        {
            var matching = functions.Where(f => f.GetProperty("name").GetString() == route.Name).ToList();
            Assert.True(matching.Count == 1, $"route {route.Name} should have one function, has {matching.Count}");
            var trigger = Trigger(matching[0]);
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(Routes.ForFunctions(route.Pattern), trigger.GetProperty("route").GetString());
            Assert.Equal(route.Methods.Select(m => m.ToLowerInvariant()).Order(), trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).Order());
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        }
    }

    [Fact]
    public void There_is_no_http_function_the_table_lacks()
    {
        var names = Table().Select(r => r.Name).ToHashSet();
        var http = Functions().Where(f => Trigger(f).GetProperty("type").GetString() == "httpTrigger").Select(f => f.GetProperty("name").GetString()!);
        var missing = http.Where(name => !names.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "functions the route table lacks: " + string.Join(", ", missing));
    }

    /// <summary>The queue a self-host trigger names, with the settings at their defaults.</summary>
    private static string SelfHostDefault(string queue) => queue switch
    {
        "%Storage:CommentQueue%" => Adapters.Storage.StorageOptions.DefaultCommentQueue,
        "%Storage:NotificationQueue%" => Adapters.Storage.StorageOptions.DefaultNotificationQueue,
        _ => queue,
    };

    [Fact]
    public void Both_hosts_have_the_same_queue_triggers_on_the_same_queues()
    {
        var functionApp = Functions().Where(f => Trigger(f).GetProperty("type").GetString() == "queueTrigger")
            .Select(f => $"{f.GetProperty("name").GetString()} <- {Trigger(f).GetProperty("queueName").GetString()}")
            .Order().ToList();
        Assert.Equal(2, functionApp.Count);

        // The self-host's WebJobs functions, read from its build without running it.
        var folder = Repo.ProjectOutput("ServerlessComments.SelfHost");
        var context = new AssemblyLoadContext("self-host", isCollectible: true);
        context.Resolving += (ctx, name) => File.Exists(Path.Combine(folder, name.Name + ".dll")) ? ctx.LoadFromAssemblyPath(Path.Combine(folder, name.Name + ".dll")) : null;
        try
        {
            var selfHost = context.LoadFromAssemblyPath(Path.Combine(folder, "ServerlessComments.SelfHost.dll"));
            var webJobs = selfHost.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                .Select(m => (Name: m.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "FunctionNameAttribute")?.ConstructorArguments[0].Value as string,
                    Queue: m.GetParameters().SelectMany(p => p.GetCustomAttributesData()).FirstOrDefault(a => a.AttributeType.Name == "QueueTriggerAttribute")?.ConstructorArguments[0].Value as string))
                .Where(f => f.Name is not null && f.Queue is not null)
                .Select(f => $"{f.Name} <- {SelfHostDefault(f.Queue!)}")
                .Order().ToList();
            Assert.Equal(functionApp, webJobs);
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("comments", true)]
    [InlineData("other-comments", false)]
    public void The_function_app_refuses_a_queue_setting_its_literal_triggers_would_not_follow(string? queue, bool starts)
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" };
        if (queue is not null)
            settings["Storage:CommentQueue"] = queue;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddCommentServices(configuration).AddAzureStorage(configuration, QueueNames.Literal).BuildServiceProvider();
        var read = () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Adapters.Storage.StorageOptions>>().Value;
        if (starts)
            Assert.Equal("comments", read().CommentQueue);
        else
            Assert.Contains("name their queues literally", Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(read).Message);
    }

    /// <summary>Every route under /api/admin/ is the owner's but the four that sign in (which cannot
    /// ask for a session they are there to give); no other route is, and every route says who may use it.</summary>
    [Fact]
    public void Every_admin_route_is_declared_the_owners_except_signing_in()
    {
        string[] signingIn = ["RequestSignInLink", "ConfirmSignIn", "SignInWithLink", "SignInWithKey"];
        foreach (var route in Table())
        {
            var admin = route.Pattern.StartsWith(Routes.Admin + "/", StringComparison.Ordinal);
            var expected = admin && !signingIn.Contains(route.Name) ? Access.Owner : route.Access == Access.Owner ? Access.Public : route.Access;
            Assert.True(expected == route.Access, $"route {route.Name} ({route.Pattern}) should be {expected}, is {route.Access}");
        }
        Assert.True(Table().Count(r => r.Access == Access.Owner) >= 22);
    }

    [Theory]
    [InlineData(QueueNames.FromSettings)]
    [InlineData(QueueNames.Literal)]
    public void Both_hosts_refuse_an_admin_key_shorter_than_32_characters(QueueNames hosting)
    {
        AdminOptions Read(string key)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["Admin:ApiKey"] = key,
            }).Build();
            var services = new ServiceCollection().AddLogging().AddCommentServices(configuration).AddAzureStorage(configuration, hosting).BuildServiceProvider();
            return services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value;
        }
        Assert.Contains("at least 32 characters", Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Read(new string('k', 31))).Message);
        Assert.Equal(32, Read(new string('k', 32)).ApiKey.Length);
        Assert.Equal("", Read("").ApiKey); // no key: the admin API is off, which is allowed
    }
}
