using System.Text.Json;
using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>The Bicep CLI from NuGet builds and lints infra/ with no diagnostic at all.</summary>
public sealed class BicepCliTests
{
    [Fact]
    public async Task Main_bicep_builds_without_a_diagnostic()
    {
        var infra = await Infra.GetAsync();
        NoDiagnostic(infra.Build);
        Assert.Equal("2.0", (string?)infra.Template["languageVersion"]);
        Assert.NotEmpty(Infra.TemplateResources(infra.Template));
    }

    [Fact]
    public async Task Main_bicepparam_builds_without_a_diagnostic()
    {
        var infra = await Infra.GetAsync();
        NoDiagnostic(infra.BuildParams);
        var parameters = infra.Parameters["parameters"]!.AsObject();
        Assert.Equal(Infra.AllowedOrigins, parameters["allowedOrigins"]!["value"]!.AsArray().Select(o => (string)o!));
        Assert.Equal("fr", (string?)parameters["blog"]!["value"]!["language"]);
    }

    [Fact]
    public async Task Lint_reports_nothing_at_all_on_the_template_or_its_parameters()
    {
        var infra = await Infra.GetAsync();
        foreach (var lint in new[] { infra.LintTemplate, infra.LintParams })
        {
            var printed = lint.StandardOutput.Trim() + lint.StandardError.Trim();
            Assert.True(printed == "", printed);
            Assert.Equal(0, lint.ExitCode);
        }
    }

    [Fact]
    public async Task A_deployment_snapshot_is_worked_out_without_a_diagnostic()
    {
        var infra = await Infra.GetAsync();
        NoDiagnostic(infra.SnapshotRun);
        Assert.Empty(infra.Snapshot["diagnostics"]!.AsArray());
        Assert.NotEmpty(infra.Snapshot["predictedResources"]!.AsArray());
    }

    [Fact]
    public void The_only_suppressed_diagnostic_is_the_missing_location_of_the_publishing_policies()
    {
        // A #disable directive could hide any linter rule from the test above: the only one allowed
        // is BCP187 on the location of basicPublishingCredentialsPolicies, which ARM requires and
        // Bicep's type lacks (Azure/bicep-types-az#1317).
        var suppressions = Directory.EnumerateFiles(BicepCli.InfraFolder, "*.bicep*", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: Path.GetFileName(file), Line: i, Text: line.Trim()))
                .Where(l => l.Text.StartsWith("#disable", StringComparison.Ordinal))
                .Select(l => (l.File, l.Text, Next: File.ReadLines(file).ElementAt(l.Line + 1).Trim())))
            .ToList();
        Assert.Equal(2, suppressions.Count);
        Assert.All(suppressions, s =>
        {
            Assert.Equal("functionapp.bicep", s.File);
            Assert.Equal("#disable-next-line BCP187", s.Text);
            Assert.Equal("location: location", s.Next);
        });
    }

    /// <summary>Exit code 0 and nothing on stderr; the message is the whole of what the CLI printed.</summary>
    private static void NoDiagnostic(BicepCli.Result result)
    {
        Assert.True(result.Diagnostics == "", result.Diagnostics);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Bicepconfig_raises_the_rules_that_matter_to_errors()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraFolder, "bicepconfig.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var rules = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules");
        string[] mustBeErrors =
        [
            "use-recent-api-versions", "no-hardcoded-env-urls", "outputs-should-not-contain-secrets",
            "secure-parameter-default", "secure-params-in-nested-deploy", "secure-secrets-in-params",
            "use-secure-value-for-secure-inputs", "no-unused-params", "no-unused-vars", "no-hardcoded-location",
            "use-stable-resource-identifiers", "use-resource-symbol-reference", "what-if-short-circuiting",
        ];
        foreach (var rule in mustBeErrors)
            Assert.True(rules.TryGetProperty(rule, out var setting) && setting.GetProperty("level").GetString() == "error", $"{rule} must be an error");
        // The newest API version the pinned CLI knows, whatever the date: the check cannot start
        // failing on its own as time passes, and a CLI update brings the new versions to follow.
        var recent = rules.GetProperty("use-recent-api-versions");
        Assert.Equal(0, recent.GetProperty("maxAgeInDays").GetInt32());
        Assert.Equal(0, recent.GetProperty("gracePeriodInDays").GetInt32());
    }

    [Fact]
    public async Task Lint_fails_a_template_that_breaks_those_rules()
    {
        // The same infra/, with an old API version, a secret with a default, and a secret output.
        var copy = BicepCli.CopyInfra("infra-broken-");
        try
        {
            var storage = Path.Combine(copy.FullName, "modules", "storage.bicep");
            var text = File.ReadAllText(storage);
            Assert.Contains("'Microsoft.Storage/storageAccounts@", text);
            File.WriteAllText(storage, System.Text.RegularExpressions.Regex.Replace(text,
                @"'Microsoft\.Storage/storageAccounts@[0-9-]+'", "'Microsoft.Storage/storageAccounts@2022-09-01'"));
            File.AppendAllText(Path.Combine(copy.FullName, "main.bicep"),
                "\n@secure()\nparam leakedKey string = 'hunter2-hunter2'\noutput LEAKED string = leakedKey\n");

            var lint = await BicepCli.RunAsync(copy.FullName, null, "lint", "main.bicep");
            var output = lint.StandardOutput + lint.StandardError;
            Assert.NotEqual(0, lint.ExitCode);
            Assert.Contains("Error use-recent-api-versions", output);
            Assert.Contains("Error secure-parameter-default", output);
            Assert.Contains("Error outputs-should-not-contain-secrets", output);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_wildcard_origin_stops_the_deployment_before_anything_is_created()
    {
        var copy = BicepCli.CopyInfra("infra-wildcard-");
        try
        {
            var environment = new Dictionary<string, string>(Infra.Environment) { ["ALLOWED_ORIGINS"] = "https://blog.example.com, *" };
            var snapshot = await BicepCli.RunAsync(copy.FullName, environment, "snapshot", "main.bicepparam", "--mode", "overwrite",
                "--subscription-id", Infra.SubscriptionId, "--tenant-id", Infra.TenantId,
                "--resource-group", Infra.ResourceGroup, "--location", Infra.Location);
            Assert.NotEqual(0, snapshot.ExitCode);
            Assert.Contains("a wildcard is refused", snapshot.StandardOutput + snapshot.StandardError);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}
