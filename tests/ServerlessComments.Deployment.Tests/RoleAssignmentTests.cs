using System.Text.RegularExpressions;
using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>Which role the app's identity holds where: exactly these, each on the narrowest scope
/// that works, and nothing else.</summary>
public sealed partial class RoleAssignmentTests
{
    private const string RoleAssignments = "Microsoft.Authorization/roleAssignments";

    [Fact]
    public async Task The_identity_holds_exactly_these_roles_on_these_scopes()
    {
        var infra = await Infra.GetAsync();
        var account = Infra.Id(infra.Single("Microsoft.Storage/storageAccounts"));
        var insights = Infra.Id(infra.Single("Microsoft.Insights/components"));
        var expected = new List<(string Role, string Scope)>
        {
            // The host leases and creates its own containers and reads the deployment package.
            (Arm.BlobDataOwner, account),
            // The host creates its diagnostic-events tables month by month.
            (Arm.TableDataContributor, account),
            (Arm.MonitoringMetricsPublisher, insights),
        };
        expected.AddRange(infra.Resources("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => (Arm.QueueDataContributor, Infra.Id(q))));
        expected.AddRange(infra.Resources("Microsoft.KeyVault/vaults/secrets").Select(s => (Arm.KeyVaultSecretsUser, Infra.Id(s))));
        Assert.Equal(3 + 4 + 5, expected.Count); // four queues, five secrets

        var actual = infra.Resources(RoleAssignments).Select(r => (Arm.RoleOf(r), Arm.ScopeOf(Infra.Id(r)))).ToList();
        Assert.Equal(expected.Order(), actual.Order());
    }

    [Fact]
    public async Task Every_role_is_granted_to_the_apps_identity_as_a_service_principal()
    {
        var infra = await Infra.GetAsync();
        var identity = infra.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        var assignments = infra.Resources(RoleAssignments).ToList();
        Assert.Equal(12, assignments.Count);
        foreach (var assignment in assignments)
        {
            Arm.IsReference(assignment["properties"]!["principalId"], identity, "principalId");
            Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
            Assert.Equal($"/subscriptions/{Infra.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{Arm.RoleOf(assignment)}",
                (string?)assignment["properties"]!["roleDefinitionId"]);
        }
    }

    [Fact]
    public async Task An_optional_secret_and_its_reader_role_exist_together_or_not_at_all()
    {
        var infra = await Infra.GetAsync();
        foreach (var secret in infra.Resources("Microsoft.KeyVault/vaults/secrets"))
        {
            var reader = Assert.Single(infra.Resources(RoleAssignments), r => Arm.ScopeOf(Infra.Id(r)) == Infra.Id(secret));
            Assert.Equal((string?)secret["condition"], (string?)reader["condition"]);
        }
        // The admin key and the link-signing key always exist; SendGrid's, SMTP's and Akismet's when given.
        Assert.Equal(["akismet-api-key", "sendgrid-api-key", "smtp-password"],
            infra.Resources("Microsoft.KeyVault/vaults/secrets").Where(s => s["condition"] is not null).Select(Infra.Name).Order());
    }

    [Fact]
    public async Task Role_definition_ids_are_named_variables_of_the_built_in_roles()
    {
        var infra = await Infra.GetAsync();
        var seen = new HashSet<string>();
        foreach (var module in new[] { "storage", "monitoring", "keyvault" })
        {
            var template = infra.ModuleTemplate(module);
            var variables = template["variables"]!.AsObject();
            foreach (var assignment in Infra.TemplateResources(template).Where(r => (string?)r["type"] == RoleAssignments))
            {
                var match = RoleDefinitionFromVariable().Match((string)assignment["properties"]!["roleDefinitionId"]!);
                Assert.True(match.Success, $"{module}: {assignment["properties"]!["roleDefinitionId"]}");
                var name = match.Groups["name"].Value;
                Assert.EndsWith("RoleId", name);
                seen.Add((string)variables[name]!);
            }
        }
        Assert.Equal(new[] { Arm.BlobDataOwner, Arm.QueueDataContributor, Arm.TableDataContributor, Arm.MonitoringMetricsPublisher, Arm.KeyVaultSecretsUser }.Order(), seen.Order());
    }

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', variables\('(?<name>[A-Za-z]+)'\)\)\]$")]
    private static partial Regex RoleDefinitionFromVariable();
}
