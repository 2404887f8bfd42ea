using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>
/// The publicViews option (on by default): page views read the thread views' container straight
/// from storage. Only that container is public, for reading blobs by name (never listing), only the
/// blog's origins may read it from a browser, and the app is told its address only when it is on.
/// </summary>
public sealed class PublicViewsTests
{
    private const string Accounts = "Microsoft.Storage/storageAccounts";
    private const string Containers = "Microsoft.Storage/storageAccounts/blobServices/containers";
    private const string ThreadContainer = "threads";

    [Fact]
    public async Task The_option_is_on_by_default()
    {
        var infra = await Infra.GetAsync();
        Assert.True((bool)infra.Template["parameters"]!["publicViews"]!["defaultValue"]!);
        // main.bicepparam too, when PUBLIC_VIEWS is not set.
        Assert.True((bool)infra.DefaultParameters["parameters"]!["publicViews"]!["value"]!);
    }

    [Fact]
    public async Task Only_the_thread_views_container_is_public_and_only_its_blobs_not_its_listing()
    {
        var infra = await Infra.GetAsync();
        Assert.True((bool)infra.Single(Accounts)["properties"]!["allowBlobPublicAccess"]!);
        var containers = infra.Resources(Containers).ToDictionary(Infra.Name, c => (string?)c["properties"]!["publicAccess"]);
        Assert.Equal("Blob", containers[ThreadContainer]); // "Container" would let anyone list it
        Assert.Contains("app-package", containers.Keys);
        Assert.All(containers.Where(c => c.Key != ThreadContainer), c => Assert.Equal("None", c.Value));
    }

    [Fact]
    public async Task The_blob_service_lets_the_blogs_origins_read_and_do_nothing_else()
    {
        var infra = await Infra.GetAsync();
        var rules = infra.Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]!["cors"]!["corsRules"]!.AsArray();
        var rule = Assert.Single(rules)!;
        Assert.Equal(Infra.AllowedOrigins, rule["allowedOrigins"]!.AsArray().Select(o => (string)o!));
        Assert.Equal(["GET", "HEAD"], rule["allowedMethods"]!.AsArray().Select(m => (string)m!).Order());
    }

    [Fact]
    public async Task The_app_and_the_snippet_get_the_public_address_of_the_views()
    {
        var infra = await Infra.GetAsync();
        var account = infra.Single(Accounts);
        var expected = $"[format('{{0}}{{1}}', {Arm.Reference(account, "primaryEndpoints.blob")}, '{ThreadContainer}')]";
        Assert.Equal(expected, (string?)infra.AppSettings["Widget__StaticBase"]);
        Assert.Equal(expected, (string?)infra.Snapshot["outputs"]!["PUBLIC_VIEWS_URL"]);
    }

    [Fact]
    public async Task Without_the_option_nothing_is_public_no_browser_may_read_blobs_and_the_app_gets_no_address()
    {
        var infra = await Infra.GetWithoutPublicViewsAsync();
        Assert.True(infra.SnapshotRun.ExitCode == 0, infra.SnapshotRun.Diagnostics);
        Assert.False((bool)infra.Single(Accounts)["properties"]!["allowBlobPublicAccess"]!);
        Assert.All(infra.Resources(Containers), c => Assert.Equal("None", (string?)c["properties"]!["publicAccess"]));
        Assert.Empty(infra.Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]!["cors"]!["corsRules"]!.AsArray());
        // The setting is there (the template sets every setting the app reads) but empty: the app's default, off.
        Assert.Equal("", (string?)infra.AppSettings["Widget__StaticBase"]);
    }
}
