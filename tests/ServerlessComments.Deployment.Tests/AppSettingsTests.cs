using System.ComponentModel;
using System.Text.Json.Nodes;
using ServerlessComments.Deployment.Tests.Infrastructure;
using ServerlessComments.Moderation;
using ServerlessComments.Processing;

namespace ServerlessComments.Deployment.Tests;

/// <summary>The template sets every setting the app reads, under the name the app reads it by,
/// and identity-based storage settings only.</summary>
public sealed class AppSettingsTests
{
    /// <summary>Settings fixed in the template to something other than the app's default, and why.</summary>
    private static readonly Dictionary<string, string> DeliberateOverrides = new()
    {
        ["Network__TrustForwardedHeaders"] = "the Functions front end sets X-Forwarded-For",
        ["Notifications__OutboxPath"] = "the app's package is read-only on Flex Consumption",
    };

    [Fact]
    public void The_app_binds_its_options_from_these_sections()
    {
        // Guards the discovery the other tests rely on: if it found nothing, they would prove nothing.
        Assert.Equal(20, SettingsTheAppReads.OptionsTypes.Count);
        // Two sections are bound twice: Akismet's client settings (the adapter's) and its retry
        // rules (the core's); the spam defences and the learning filter.
        Assert.Equal(SettingsTheAppReads.OptionsTypes.Count - 2, SettingsTheAppReads.All.Select(s => s.Section).Distinct().Count());
        Assert.Contains(SettingsTheAppReads.All, s => s.Name == "Storage__CommentQueue");
        Assert.Contains(SettingsTheAppReads.All, s => s.Name == "Notifications__LinkSecret");
    }

    [Fact]
    public async Task The_template_sets_exactly_the_settings_the_app_reads()
    {
        var infra = await Infra.GetAsync();
        var appSettings = infra.AppSettings.Keys.Where(k => k.Contains("__") && !k.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        var read = SettingsTheAppReads.All.Select(s => s.Name).Order(StringComparer.Ordinal);
        // A setting renamed in the app or in the template, or added to the app, shows here.
        Assert.Equal(read, appSettings);
    }

    [Fact]
    public async Task Every_value_is_a_string_that_the_app_can_read_as_its_type()
    {
        var infra = await Infra.GetAsync();
        foreach (var (name, value) in infra.AppSettings)
            Assert.True(value is JsonValue v && v.TryGetValue<string>(out _), $"{name} must be a string");
        foreach (var setting in SettingsTheAppReads.All)
        {
            var value = (string)infra.AppSettings[setting.Name]!;
            if (Arm.IsExpression(value))
                continue;
            var converter = TypeDescriptor.GetConverter(setting.Property.PropertyType);
            Assert.True(converter.IsValid(value), $"{setting.Name} = '{value}' is not a {setting.Property.PropertyType.Name}");
        }
    }

    [Fact]
    public async Task A_value_the_template_fixes_is_the_apps_default_unless_it_is_a_deliberate_override()
    {
        var infra = await Infra.GetAsync();
        // Fixed: a literal in the app settings module itself, not a parameter.
        var module = Assert.Single(Infra.TemplateResources(infra.ModuleTemplate("appsettings")), r => (string?)r["type"] == "Microsoft.Web/sites/config");
        var fixedValues = module["properties"]!.AsObject()
            .Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && !Arm.IsExpression(s))
            .ToDictionary(p => p.Key, p => (string)p.Value!);
        var checkedCount = 0;
        foreach (var setting in SettingsTheAppReads.All.Where(s => fixedValues.ContainsKey(s.Name)))
        {
            var value = TypeDescriptor.GetConverter(setting.Property.PropertyType).ConvertFromInvariantString(fixedValues[setting.Name]);
            if (DeliberateOverrides.ContainsKey(setting.Name))
                Assert.NotEqual(setting.Default, value);
            else
                Assert.True(Equals(setting.Default, value), $"{setting.Name}: the template fixes '{fixedValues[setting.Name]}', the app's default is '{setting.Default}'");
            checkedCount++;
        }
        Assert.True(checkedCount >= 10, $"only {checkedCount} fixed values");
        Assert.Equal("true", fixedValues["Network__TrustForwardedHeaders"]);
    }

    [Fact]
    public async Task The_templates_defaults_are_the_apps_defaults()
    {
        var parameters = (await Infra.GetAsync()).Template["parameters"]!;
        var spam = parameters["spam"]!["defaultValue"]!.AsObject();
        var defaults = new SpamOptions();
        Assert.Equal(defaults.MaxLinks, (int)spam["maxLinks"]!);
        Assert.Equal(defaults.HoldWords, (string?)spam["holdWords"]);
        Assert.Equal(defaults.BlockWords, (string?)spam["blockWords"]);
        Assert.Equal(defaults.RefuseDuplicates, (bool)spam["refuseDuplicates"]!);
        Assert.Equal(defaults.FloodSeconds, (int)spam["floodSeconds"]!);
        Assert.Equal(typeof(SpamOptions).GetProperties().Count(p => p.CanWrite), spam.Count);
        Assert.Equal(new PrivacyOptions().RetentionDays, (int)parameters["retentionDays"]!["defaultValue"]!);
        Assert.Equal(new ModerationOptions().Mode, (string?)parameters["moderationMode"]!["defaultValue"]);
    }

    [Fact]
    public async Task Every_moderation_mode_the_template_allows_is_one_the_app_knows()
    {
        var parameter = (await Infra.GetAsync()).Template["parameters"]!["moderationMode"]!;
        var allowed = parameter["allowedValues"]!.AsArray().Select(v => (string)v!).ToList();
        Assert.Equal(3, allowed.Count);
        Assert.All(allowed, mode => Assert.NotNull(new ModerationOptions { Mode = mode }.ParsedMode));
    }

    [Fact]
    public async Task Storage_is_reached_by_service_uris_and_the_identitys_client_id_with_no_key()
    {
        var infra = await Infra.GetAsync();
        var settings = infra.AppSettings;
        var account = infra.Single("Microsoft.Storage/storageAccounts");
        var identity = infra.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        Arm.IsReference(settings["AzureWebJobsStorage__blobServiceUri"], account, "primaryEndpoints.blob");
        Arm.IsReference(settings["AzureWebJobsStorage__queueServiceUri"], account, "primaryEndpoints.queue");
        Arm.IsReference(settings["AzureWebJobsStorage__tableServiceUri"], account, "primaryEndpoints.table");
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Arm.IsReference(settings["AzureWebJobsStorage__clientId"], identity, "clientId");
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain("AzureWebJobsStorage__accountKey", settings.Keys);
    }

    [Fact]
    public async Task No_setting_that_flex_consumption_refuses_is_set()
    {
        var settings = (await Infra.GetAsync()).AppSettings;
        // Flex Consumption takes the runtime and deployment from functionAppConfig; these are refused.
        string[] refused =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_NODE_DEFAULT_VERSION", "SCM_DO_BUILD_DURING_DEPLOYMENT",
        ];
        Assert.All(refused, name => Assert.DoesNotContain(name, settings.Keys));
    }

    [Fact]
    public async Task Links_in_emails_point_at_the_apps_own_address_and_the_blog_settings_are_the_operators()
    {
        var infra = await Infra.GetAsync();
        var settings = infra.AppSettings;
        var site = infra.Single("Microsoft.Web/sites");
        Assert.Equal($"[format('https://{{0}}', {Arm.Reference(site, "defaultHostName")})]", (string?)settings["Notifications__PublicBaseUrl"]);
        Assert.Equal(Infra.Environment["BLOG_NAME"], (string?)settings["Notifications__SiteName"]);
        Assert.Equal(Infra.Environment["OWNER_EMAIL"], (string?)settings["Notifications__OwnerEmail"]);
        Assert.Equal(Infra.Environment["FROM_EMAIL"], (string?)settings["Notifications__FromEmail"]);
        Assert.Equal(Infra.Environment["BLOG_LANGUAGE"], (string?)settings["Notifications__Lang"]);
        Assert.Equal(Infra.Environment["BLOG_LANGUAGE"], (string?)settings["Akismet__BlogLang"]);
        Assert.Equal("first-time", (string?)settings["Moderation__Mode"]);
    }
}
