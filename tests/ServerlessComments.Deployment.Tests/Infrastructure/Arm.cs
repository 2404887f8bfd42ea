using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessComments.Deployment.Tests.Infrastructure;

/// <summary>Reading ARM values: literals, and the expressions the snapshot leaves for values
/// known only once a resource exists.</summary>
public static partial class Arm
{
    public const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    public static bool IsExpression(string value) => value.StartsWith('[') && !value.StartsWith("[[");

    /// <summary>The expression reading a runtime property of a resource: reference('&lt;id&gt;', '&lt;api&gt;').&lt;path&gt;.</summary>
    public static string Reference(JsonObject resource, string path) =>
        $"reference('{Infra.Id(resource)}', '{(string)resource["apiVersion"]!}').{path}";

    /// <summary>Asserts the value is exactly a runtime property of this resource.</summary>
    public static void IsReference(JsonNode? value, JsonObject resource, string path) =>
        Assert.Equal($"[{Reference(resource, path)}]", (string?)value);

    /// <summary>A resource id from the id of one of its role assignments (an extension resource).</summary>
    public static string ScopeOf(string roleAssignmentId)
    {
        var at = roleAssignmentId.LastIndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase);
        Assert.True(at > 0, roleAssignmentId);
        return roleAssignmentId[..at];
    }

    /// <summary>The role definition GUID of a role assignment.</summary>
    public static string RoleOf(JsonObject roleAssignment) =>
        ((string)roleAssignment["properties"]!["roleDefinitionId"]!).Split('/')[^1];

    /// <summary>The secret URI of a Key Vault reference setting, e.g. @Microsoft.KeyVault(SecretUri=…).</summary>
    [GeneratedRegex(@"^@Microsoft\.KeyVault\(SecretUri=(?<uri>[^)]+)\)$")]
    public static partial Regex KeyVaultReference();
}
