using System.Text.Json.Nodes;

namespace ServerlessComments.Deployment.Tests.Infrastructure;

/// <summary>
/// infra/ as the Bicep CLI sees it, compiled once for all tests: the lint results, the ARM template
/// main.bicep compiles to, the parameters main.bicepparam compiles to, and the deployment snapshot
/// (every resource the deployment would create, with every value known before deployment worked
/// out) for one resource group and one set of environment variables.
/// </summary>
public sealed class Infra
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string TenantId = "00000000-0000-0000-0000-0000000000bb";
    public const string ResourceGroup = "rg-blog-comments";
    public const string Location = "westeurope";

    public const string AdminApiKey = "TEST-ADMIN-KEY-6f1d2c3b4a5968778695a4b3c2d1e0f0";
    public const string LinkSigningKey = "TEST-LINK-KEY-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    public const string SendGridApiKey = "TEST-SENDGRID-KEY-SG.abcdefghijklmnop";
    public const string AkismetApiKey = "TEST-AKISMET-KEY-1a2b3c4d5e6f";
    public const string SmtpPassword = "TEST-SMTP-PASSWORD-7c6b5a4f3e2d";
    public static readonly string[] Secrets = [AdminApiKey, LinkSigningKey, SendGridApiKey, AkismetApiKey, SmtpPassword];

    public static readonly string[] AllowedOrigins = ["https://blog.example.com", "https://www.example.org"];
    public const int InstanceMemoryMB = 4096;
    public const int MaximumInstanceCount = 7;

    /// <summary>The variables main.bicepparam reads, as an operator would set them (memory and scale
    /// differ from the defaults, to show that they reach the app).</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["AZURE_ENV_NAME"] = "blog",
        ["BLOG_URL"] = "https://blog.example.com/",
        ["BLOG_NAME"] = "Example blog",
        ["BLOG_LANGUAGE"] = "fr",
        ["OWNER_EMAIL"] = "owner@example.com",
        ["FROM_EMAIL"] = "comments@example.com",
        ["FROM_NAME"] = "Example comments",
        ["ALLOWED_ORIGINS"] = string.Join(", ", AllowedOrigins),
        ["INSTANCE_MEMORY_MB"] = InstanceMemoryMB.ToString(),
        ["MAXIMUM_INSTANCE_COUNT"] = MaximumInstanceCount.ToString(),
        ["ADMIN_API_KEY"] = AdminApiKey,
        ["LINK_SIGNING_KEY"] = LinkSigningKey,
        ["SENDGRID_API_KEY"] = SendGridApiKey,
        ["AKISMET_API_KEY"] = AkismetApiKey,
        // Emails through a provider's SMTP server (the SendGrid key above stays unused).
        ["EMAIL_PROVIDER"] = "smtp",
        ["SMTP_HOST"] = "smtp.example.com",
        ["SMTP_PORT"] = "465",
        ["SMTP_USERNAME"] = "comments@example.com",
        ["SMTP_SECURITY"] = "SslOnConnect",
        ["SMTP_PASSWORD"] = SmtpPassword,
        // As the preprovision hook would have made it, the month the environment was first provisioned.
        ["BUDGET_START_DATE"] = BudgetStartDate,
        // Apart from the defaults (see CostAndAlertTests), to show that they reach the resources.
        ["MONTHLY_BUDGET"] = MonthlyBudget.ToString(),
        ["FAILURE_RATE_PERCENT"] = FailureRatePercent.ToString(),
    };

    public const string BudgetStartDate = "2026-11-01";
    public const int MonthlyBudget = 45;
    public const int FailureRatePercent = 7;

    /// <summary>Only the variables main.bicepparam cannot do without: every other parameter takes
    /// its default, to check the defaults an operator gets.</summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredEnvironment = new Dictionary<string, string>
    {
        ["BLOG_URL"] = "https://blog.example.com/",
        ["ALLOWED_ORIGINS"] = "https://blog.example.com",
        ["ADMIN_API_KEY"] = AdminApiKey,
        ["LINK_SIGNING_KEY"] = LinkSigningKey,
    };

    private static readonly Lazy<Task<Infra>> Compiled = new(CompileAsync);

    public static Task<Infra> GetAsync() => Compiled.Value;

    private static readonly Lazy<Task<Infra>> CompiledWithoutPublicViews = new(async () =>
    {
        var main = await GetAsync();
        var environment = new Dictionary<string, string>(Environment) { ["PUBLIC_VIEWS"] = "false" };
        var (run, text) = await SnapshotAsync(environment);
        return new Infra
        {
            Build = main.Build, BuildParams = main.BuildParams, BuildParamsWithDefaults = main.BuildParamsWithDefaults,
            LintTemplate = main.LintTemplate, LintParams = main.LintParams, Template = main.Template,
            Parameters = main.Parameters, DefaultParameters = main.DefaultParameters,
            SnapshotRun = run, Snapshot = ParseObject(text), SnapshotText = text,
        };
    });

    /// <summary>The same environment with <c>PUBLIC_VIEWS=false</c>: only the snapshot differs from <see cref="GetAsync"/>.</summary>
    public static Task<Infra> GetWithoutPublicViewsAsync() => CompiledWithoutPublicViews.Value;

    public required BicepCli.Result Build { get; init; }
    public required BicepCli.Result BuildParams { get; init; }
    public required BicepCli.Result BuildParamsWithDefaults { get; init; }
    public required BicepCli.Result LintTemplate { get; init; }
    public required BicepCli.Result LintParams { get; init; }
    public required BicepCli.Result SnapshotRun { get; init; }

    /// <summary>The ARM template (languageVersion 2.0) of main.bicep.</summary>
    public required JsonObject Template { get; init; }

    /// <summary>The deployment parameters main.bicepparam compiles to.</summary>
    public required JsonObject Parameters { get; init; }

    /// <summary>The deployment parameters main.bicepparam compiles to with only <see cref="RequiredEnvironment"/>.</summary>
    public required JsonObject DefaultParameters { get; init; }

    /// <summary>bicep snapshot's predicted resources and outputs.</summary>
    public required JsonObject Snapshot { get; init; }

    /// <summary>The snapshot's text, to search for leaked secrets.</summary>
    public required string SnapshotText { get; init; }

    private static async Task<Infra> CompileAsync()
    {
        var infra = BicepCli.InfraFolder;
        // The CLI runs one command at a time: the machines this runs on have two cores.
        var build = await BicepCli.RunAsync(infra, null, "build", "main.bicep", "--stdout");
        var buildParams = await BicepCli.RunAsync(infra, Environment, "build-params", "main.bicepparam", "--stdout");
        var buildParamsWithDefaults = await BicepCli.RunAsync(infra, RequiredEnvironment, "build-params", "main.bicepparam", "--stdout");
        var lintTemplate = await BicepCli.RunAsync(infra, null, "lint", "main.bicep");
        var lintParams = await BicepCli.RunAsync(infra, Environment, "lint", "main.bicepparam");

        var (snapshot, snapshotText) = await SnapshotAsync(Environment);
        {
            return new Infra
            {
                Build = build,
                BuildParams = buildParams,
                BuildParamsWithDefaults = buildParamsWithDefaults,
                LintTemplate = lintTemplate,
                LintParams = lintParams,
                SnapshotRun = snapshot,
                Template = ParseObject(build.StandardOutput),
                Parameters = ParseParameters(buildParams.StandardOutput),
                DefaultParameters = ParseParameters(buildParamsWithDefaults.StandardOutput),
                Snapshot = ParseObject(snapshotText),
                SnapshotText = snapshotText,
            };
        }
    }

    private static async Task<(BicepCli.Result Run, string Text)> SnapshotAsync(IReadOnlyDictionary<string, string> environment)
    {
        // bicep snapshot writes main.snapshot.json beside the parameters file: work on a copy.
        var copy = BicepCli.CopyInfra("infra-snapshot-");
        try
        {
            var snapshot = await BicepCli.RunAsync(copy.FullName, environment,
                "snapshot", "main.bicepparam", "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId,
                "--resource-group", ResourceGroup, "--location", Location);
            var snapshotPath = Path.Combine(copy.FullName, "main.snapshot.json");
            return (snapshot, File.Exists(snapshotPath) ? await File.ReadAllTextAsync(snapshotPath) : "{}");
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static JsonObject ParseObject(string json) =>
        string.IsNullOrWhiteSpace(json) ? new JsonObject() : JsonNode.Parse(json)!.AsObject();

    private static JsonObject ParseParameters(string json)
    {
        // build-params --stdout prints { parametersJson: "<the parameters file>", templateJson: ... }.
        var wrapper = ParseObject(json);
        return wrapper["parametersJson"] is JsonValue text ? ParseObject(text.GetValue<string>()) : new JsonObject();
    }

    // ---- The snapshot ----

    public IEnumerable<JsonObject> Resources(string type) =>
        Snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject())
            .Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(Resources(type));

    /// <summary>The resource of this type whose name ends with this segment (e.g. "ftp").</summary>
    public JsonObject Named(string type, string lastSegment) =>
        Assert.Single(Resources(type), r => ((string)r["name"]!).Split('/')[^1] == lastSegment);

    public static string Id(JsonObject resource) => (string)resource["id"]!;

    public static string Name(JsonObject resource) => ((string)resource["name"]!).Split('/')[^1];

    /// <summary>The app settings the template gives the Function App, as the snapshot worked them out.</summary>
    public IReadOnlyDictionary<string, JsonNode?> AppSettings =>
        Single("Microsoft.Web/sites/config")["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value);

    // ---- The compiled template ----

    /// <summary>The nested template of one of main.bicep's modules, by the module's deployment name.</summary>
    public JsonObject ModuleTemplate(string deploymentName) => (JsonObject)Module(deploymentName)["properties"]!["template"]!;

    /// <summary>One of main.bicep's module deployments, by its deployment name.</summary>
    public JsonObject Module(string deploymentName) =>
        Assert.Single(TemplateResources(Template), r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == deploymentName);

    /// <summary>A template's resources, whether it lists them (languageVersion 1) or names them (2.0).</summary>
    public static IEnumerable<JsonObject> TemplateResources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject named => named.Select(p => p.Value!.AsObject()),
        _ => [],
    };
}
