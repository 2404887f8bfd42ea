using ServerlessComments.Deployment.Tests.Infrastructure;
using ServerlessComments.Adapters.Storage;

namespace ServerlessComments.Deployment.Tests;

/// <summary>The posture of every resource, read from the snapshot of a deployment.</summary>
public sealed class SecurityPostureTests
{
    private const string Sites = "Microsoft.Web/sites";
    private const string Identities = "Microsoft.ManagedIdentity/userAssignedIdentities";
    private const string Accounts = "Microsoft.Storage/storageAccounts";

    [Fact]
    public async Task The_function_app_runs_on_a_flex_consumption_plan_with_the_dotnet_10_isolated_worker()
    {
        var infra = await Infra.GetAsync();
        var plan = infra.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);

        var site = infra.Single(Sites);
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal(Infra.Id(plan), (string?)site["properties"]!["serverFarmId"]);
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        // From the parameters (set apart from the defaults in this test's environment).
        Assert.Equal(Infra.InstanceMemoryMB, (int)config["scaleAndConcurrency"]!["instanceMemoryMB"]!);
        Assert.Equal(Infra.MaximumInstanceCount, (int)config["scaleAndConcurrency"]!["maximumInstanceCount"]!);
    }

    [Fact]
    public async Task The_app_runs_as_its_user_assigned_identity_alone()
    {
        var infra = await Infra.GetAsync();
        var site = infra.Single(Sites);
        var identity = infra.Single(Identities);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        var assigned = site["identity"]!["userAssignedIdentities"]!.AsObject();
        Assert.Equal([Infra.Id(identity)], assigned.Select(p => p.Key));
        Assert.Equal(Infra.Id(identity), (string?)site["properties"]!["keyVaultReferenceIdentity"]);

        // The deployment package is read with the same identity, from the container the template makes.
        var storage = site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal(Infra.Id(identity), (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        var container = infra.Resources("Microsoft.Storage/storageAccounts/blobServices/containers").Single(c => Infra.Name(c) == "app-package");
        Assert.Equal($"[format('{{0}}{{1}}', {Arm.Reference(infra.Single(Accounts), "primaryEndpoints.blob")}, '{Infra.Name(container)}')]",
            (string?)storage["value"]);
    }

    [Fact]
    public async Task The_app_takes_https_only_with_tls_1_2_and_no_ftp_or_basic_auth_publishing()
    {
        var infra = await Infra.GetAsync();
        var properties = infra.Single(Sites)["properties"]!;
        Assert.True((bool)properties["httpsOnly"]!);
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["minTlsVersion"]);
        Assert.Equal("1.2", (string?)properties["siteConfig"]!["scmMinTlsVersion"]);
        // Flex Consumption has no FTP at all (ftpsState is refused there, see the next test); what
        // remains to turn off is basic-auth publishing to the scm (Kudu) endpoint, and ftp for good measure.
        foreach (var kind in new[] { "ftp", "scm" })
            Assert.False((bool)infra.Named("Microsoft.Web/sites/basicPublishingCredentialsPolicies", kind)["properties"]!["allow"]!);
    }

    /// <summary>siteConfig properties that Flex Consumption sites refuse with ARM error 51021 ("The
    /// following site configuration property (Site.SiteConfig.X) for Flex Consumption sites is
    /// invalid. Please remove or rename it before retrying."). The list is what the platform has been
    /// reported to refuse, not a documented schema:
    /// - FtpsState, Use32BitWorkerProcess, NetFrameworkVersion, FunctionsRuntimeScaleMonitoringEnabled:
    ///   the verbatim error in microsoft/azure-pipelines-tasks#21032;
    /// - PreWarmedInstanceCount: the same error with five properties, Microsoft Q&amp;A 2277522, quoted in
    ///   Azure/terraform-azurerm-avm-res-web-site#360;
    /// - FunctionAppScaleLimit: Azure/azure-functions-host#10643 and microsoft/azure-pipelines-tasks#22254
    ///   (on Flex the limit is functionAppConfig.scaleAndConcurrency.maximumInstanceCount);
    /// - LinuxFxVersion: Azure/terraform-azurerm-avm-res-web-site#283 (the runtime is functionAppConfig.runtime);
    /// - AlwaysOn: no verbatim 51021 report found, but the Azure Verified Modules web-site module leaves
    ///   it out for FC1 along with the others (Azure/terraform-azurerm-avm-res-web-site#345), and Flex
    ///   has no always-on instance to speak of (always-ready instances are in functionAppConfig).
    /// Enforcement differs by region (older stamps ignore the properties, newer ones refuse them), so a
    /// deployment that once worked somewhere proves nothing.</summary>
    public static readonly string[] SiteConfigFlexRejects =
    [
        "ftpsState", "use32BitWorkerProcess", "netFrameworkVersion", "functionsRuntimeScaleMonitoringEnabled",
        "preWarmedInstanceCount", "functionAppScaleLimit", "linuxFxVersion", "alwaysOn",
    ];

    [Fact]
    public async Task The_site_config_sets_no_property_that_flex_consumption_rejects()
    {
        var infra = await Infra.GetAsync();
        var siteConfig = infra.Single(Sites)["properties"]!["siteConfig"]!.AsObject();
        var set = siteConfig.Select(p => p.Key).ToList();
        Assert.Empty(set.Intersect(SiteConfigFlexRejects, StringComparer.OrdinalIgnoreCase));
        // What it does set, so that a new property is checked against that list before it is added here.
        Assert.Equal(["cors", "http20Enabled", "minTlsVersion", "scmMinTlsVersion"], set.Order(StringComparer.Ordinal));
        // Nor any other site config resource (sites/config 'web') that could carry them.
        Assert.DoesNotContain(infra.Resources("Microsoft.Web/sites/config"), c => Infra.Name(c) == "web");
    }

    [Fact]
    public async Task The_publishing_credentials_policies_have_the_sites_location()
    {
        // Without a location ARM answers 51008 for basicPublishingCredentialsPolicies (see
        // Azure/bicep-types-az#1317, #1526, #1571): the type does not require it, the service does.
        var infra = await Infra.GetAsync();
        var site = infra.Single(Sites);
        Assert.Equal(Infra.Location, (string?)site["location"]);
        foreach (var kind in new[] { "ftp", "scm" })
            Assert.Equal((string?)site["location"], (string?)infra.Named("Microsoft.Web/sites/basicPublishingCredentialsPolicies", kind)["location"]);
    }

    [Fact]
    public async Task Platform_cors_allows_the_blog_origins_only()
    {
        var infra = await Infra.GetAsync();
        var cors = infra.Single(Sites)["properties"]!["siteConfig"]!["cors"]!;
        var origins = cors["allowedOrigins"]!.AsArray().Select(o => (string)o!).ToList();
        Assert.Equal(Infra.AllowedOrigins, origins);
        Assert.DoesNotContain(origins, o => o.Contains('*'));
        Assert.False((bool)cors["supportCredentials"]!);

        // No default: an operator names the origins; none is allowed by accident.
        var parameter = infra.Template["parameters"]!["allowedOrigins"]!.AsObject();
        Assert.False(parameter.ContainsKey("defaultValue"));
        Assert.Equal(1, (int)parameter["minLength"]!);
    }

    [Fact]
    public async Task Storage_takes_no_shared_key_no_public_blob_and_tls_1_2_or_later()
    {
        // Without public views (PublicViewsTests has the option's one public container).
        var infra = await Infra.GetWithoutPublicViewsAsync();
        var properties = infra.Single(Accounts)["properties"]!;
        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.True((bool)properties["defaultToOAuthAuthentication"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
        Assert.All(infra.Resources("Microsoft.Storage/storageAccounts/blobServices/containers"),
            container => Assert.Equal("None", (string?)container["properties"]!["publicAccess"]));
    }

    [Fact]
    public async Task The_template_creates_the_apps_table_and_queues_with_their_poison_queues()
    {
        var infra = await Infra.GetAsync();
        var options = new StorageOptions();
        var queues = infra.Resources("Microsoft.Storage/storageAccounts/queueServices/queues").Select(Infra.Name).Order();
        string[] expected =
        [
            options.CommentQueue, StorageOptions.PoisonQueueOf(options.CommentQueue),
            options.NotificationQueue, StorageOptions.PoisonQueueOf(options.NotificationQueue),
        ];
        Assert.Equal(expected.Order(), queues);
        Assert.Equal([options.CommentTable], infra.Resources("Microsoft.Storage/storageAccounts/tableServices/tables").Select(Infra.Name));

        // …and tells the app those names.
        var settings = infra.AppSettings;
        Assert.Equal(options.CommentQueue, (string?)settings["Storage__CommentQueue"]);
        Assert.Equal(options.NotificationQueue, (string?)settings["Storage__NotificationQueue"]);
        Assert.Equal(options.CommentTable, (string?)settings["Storage__CommentTable"]);
    }

    [Fact]
    public async Task Key_vault_uses_rbac_soft_delete_and_purge_protection()
    {
        var infra = await Infra.GetAsync();
        var properties = infra.Single("Microsoft.KeyVault/vaults")["properties"]!.AsObject();
        Assert.True((bool)properties["enableRbacAuthorization"]!);
        Assert.True((bool)properties["enableSoftDelete"]!);
        Assert.True((bool)properties["enablePurgeProtection"]!);
        Assert.InRange((int)properties["softDeleteRetentionInDays"]!, 7, 90);
        Assert.False(properties.ContainsKey("accessPolicies"));
        Assert.False((bool)properties["enabledForTemplateDeployment"]!);
    }

    [Fact]
    public async Task Telemetry_goes_to_log_analytics_through_application_insights_without_local_auth()
    {
        var infra = await Infra.GetAsync();
        var workspace = infra.Single("Microsoft.OperationalInsights/workspaces");
        var insights = infra.Single("Microsoft.Insights/components");
        Assert.True((bool)workspace["properties"]!["features"]!["disableLocalAuth"]!);
        Assert.True((bool)insights["properties"]!["DisableLocalAuth"]!);
        Assert.Equal(Infra.Id(workspace), (string?)insights["properties"]!["WorkspaceResourceId"]);

        // The app sends telemetry as its identity.
        var settings = infra.AppSettings;
        var identity = infra.Single(Identities);
        Arm.IsReference(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], insights, "ConnectionString");
        Assert.Equal($"[format('ClientId={{0}};Authorization=AAD', {Arm.Reference(identity, "clientId")})]",
            (string?)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.DoesNotContain("APPINSIGHTS_INSTRUMENTATIONKEY", settings.Keys);
    }

    [Fact]
    public async Task Every_name_comes_from_one_unique_string_token()
    {
        var infra = await Infra.GetAsync();
        var token = ((string)infra.Single(Identities)["name"]!).Split('-')[^1];
        Assert.Matches("^[a-z0-9]{13}$", token);
        var topLevel = infra.Snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject())
            .Where(r => ((string)r["type"]!).Split('/').Length == 2 && (string)r["type"]! != "Microsoft.Authorization/roleAssignments")
            .ToList();
        Assert.All(topLevel, r => Assert.EndsWith(token, (string)r["name"]!));
        // identity, storage, key vault, workspace, component, plan, site; budget, action group, two alert rules
        Assert.Equal(11, topLevel.Count);
    }

    [Fact]
    public async Task Outputs_give_the_apps_url_its_names_and_the_widget_snippet()
    {
        var infra = await Infra.GetAsync();
        var outputs = infra.Snapshot["outputs"]!.AsObject();
        var site = infra.Single(Sites);
        var url = $"format('https://{{0}}', {Arm.Reference(site, "defaultHostName")})";
        Assert.Equal($"[{url}]", (string?)outputs["SERVICE_API_URI"]);
        Assert.Equal(Infra.Name(site), (string?)outputs["SERVICE_API_NAME"]);
        Assert.Equal(Infra.Name(infra.Single(Accounts)), (string?)outputs["AZURE_STORAGE_ACCOUNT_NAME"]);
        Assert.Equal(Infra.Name(infra.Single("Microsoft.KeyVault/vaults")), (string?)outputs["AZURE_KEY_VAULT_NAME"]);
        Assert.Equal(Infra.Name(infra.Single("Microsoft.Insights/components")), (string?)outputs["APPLICATIONINSIGHTS_NAME"]);
        // With public views (the default) the widget's files come from the public container.
        var views = $"format('{{0}}{{1}}', {Arm.Reference(infra.Single(Accounts), "primaryEndpoints.blob")}, 'threads')";
        Assert.Equal($"[{views}]", (string?)outputs["PUBLIC_VIEWS_URL"]);
        Assert.Equal($"[format('<div data-comments></div>\n<script src=\"{{0}}/comments.js\" defer></script>', format('{{0}}/widget', {views}))]",
            (string?)outputs["WIDGET_SNIPPET"]);
        Assert.Equal($"[format('{{0}}/count.js', format('{{0}}/widget', {views}))]", (string?)outputs["COUNT_SCRIPT_URL"]);

        // Without, from the API.
        var without = (await Infra.GetWithoutPublicViewsAsync()).Snapshot["outputs"]!.AsObject();
        Assert.Equal("", (string?)without["PUBLIC_VIEWS_URL"]);
        Assert.Equal($"[format('<div data-comments></div>\n<script src=\"{{0}}/comments.js\" defer></script>', format('{{0}}/api/widget', {url}))]",
            (string?)without["WIDGET_SNIPPET"]);
        Assert.Equal($"[format('{{0}}/count.js', format('{{0}}/api/widget', {url}))]", (string?)without["COUNT_SCRIPT_URL"]);
    }
}
