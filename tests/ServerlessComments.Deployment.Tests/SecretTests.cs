using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>The five secrets live in Key Vault and reach the app as Key Vault references; a secret
/// value is never a parameter's default, an output, or anything the deployment records.</summary>
public sealed partial class SecretTests
{
    private static readonly string[] SecureParameters = ["adminApiKey", "linkSecret", "sendGridApiKey", "akismetApiKey", "smtpPassword"];

    [Fact]
    public async Task Secrets_are_secure_parameters_without_defaults()
    {
        var parameters = (await Infra.GetAsync()).Template["parameters"]!.AsObject();
        var secure = parameters.Where(p => (string?)p.Value!["type"] == "securestring").Select(p => p.Key).Order();
        Assert.Equal(SecureParameters.Order(), secure);
        Assert.All(SecureParameters, name => Assert.False(parameters[name]!.AsObject().ContainsKey("defaultValue"), name));
        // The two the app cannot be safe without must be long; SendGrid, SMTP and Akismet may be empty (off).
        Assert.True((int)parameters["adminApiKey"]!["minLength"]! >= 32);
        Assert.True((int)parameters["linkSecret"]!["minLength"]! >= 32);
    }

    [Fact]
    public async Task A_module_that_receives_a_secret_takes_it_as_a_secure_parameter()
    {
        var infra = await Infra.GetAsync();
        var passed = 0;
        foreach (var module in Infra.TemplateResources(infra.Template).Where(r => (string?)r["type"] == "Microsoft.Resources/deployments"))
        {
            var template = module["properties"]!["template"]!;
            foreach (var (name, value) in module["properties"]!["parameters"]!.AsObject())
            {
                if (value is JsonObject parameter && parameter["value"] is JsonValue plain && plain.TryGetValue<string>(out var expression)
                    && SecureParameters.Any(s => expression == $"[parameters('{s}')]"))
                {
                    Assert.Equal("securestring", (string?)template["parameters"]![name]!["type"]);
                    passed++;
                }
            }
        }
        Assert.Equal(5, passed);
    }

    [Fact]
    public async Task No_output_of_the_template_or_its_modules_carries_a_secret()
    {
        var infra = await Infra.GetAsync();
        var templates = new List<JsonObject> { infra.Template };
        templates.AddRange(Infra.TemplateResources(infra.Template)
            .Where(r => (string?)r["type"] == "Microsoft.Resources/deployments")
            .Select(r => r["properties"]!["template"]!.AsObject()));
        foreach (var template in templates)
        {
            var secure = template["parameters"]?.AsObject().Where(p => (string?)p.Value!["type"] is "securestring" or "secureObject").Select(p => p.Key).ToList() ?? [];
            foreach (var (name, output) in template["outputs"]?.AsObject() ?? [])
            {
                var text = Text(output);
                Assert.DoesNotContain(secure, s => text.Contains($"parameters('{s}')"));
                Assert.DoesNotMatch(ListFunction(), text);
                Assert.DoesNotMatch("(?i)password|secret(?!Uri)", name);
            }
        }
    }

    [Fact]
    public async Task No_secret_value_appears_in_anything_the_deployment_shows()
    {
        var infra = await Infra.GetAsync();
        foreach (var secret in Infra.Secrets)
        {
            Assert.DoesNotContain(secret, infra.SnapshotText);
            Assert.DoesNotContain(secret, Text(infra.Template));
            Assert.DoesNotContain(secret, Text(infra.Snapshot["outputs"]));
            Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(BicepCli.InfraFolder, "main.bicepparam")));
        }
        // The key vault holds them, from the secure parameters.
        var values = infra.Resources("Microsoft.KeyVault/vaults/secrets").ToDictionary(Infra.Name, s => (string?)s["properties"]!["value"]);
        Assert.Equal("[parameters('adminApiKey')]", values["admin-api-key"]);
        Assert.Equal("[parameters('linkSecret')]", values["link-signing-secret"]);
        Assert.Equal("[parameters('sendGridApiKey')]", values["sendgrid-api-key"]);
        Assert.Equal("[parameters('akismetApiKey')]", values["akismet-api-key"]);
        Assert.Equal("[parameters('smtpPassword')]", values["smtp-password"]);
    }

    [Theory]
    [InlineData("Admin__ApiKey", "admin-api-key")]
    [InlineData("Notifications__LinkSecret", "link-signing-secret")]
    public async Task The_app_reads_its_required_secrets_through_key_vault_references(string setting, string secretName)
    {
        var infra = await Infra.GetAsync();
        var secret = infra.Named("Microsoft.KeyVault/vaults/secrets", secretName);
        Assert.Equal($"[format('@Microsoft.KeyVault(SecretUri={{0}})', {Arm.Reference(secret, "secretUri")})]", (string?)infra.AppSettings[setting]);
    }

    [Theory]
    [InlineData("SendGrid__ApiKey", "sendGridApiKey", "sendGridApiKeyReference", "sendgrid-api-key")]
    [InlineData("Akismet__ApiKey", "akismetApiKey", "akismetApiKeyReference", "akismet-api-key")]
    [InlineData("Smtp__Password", "smtpPassword", "smtpKeyReference", "smtp-password")]
    public async Task The_app_reads_an_optional_secret_through_a_key_vault_reference_when_there_is_one(
        string setting, string parameter, string reference, string secretName)
    {
        var infra = await Infra.GetAsync();

        // main.bicep: the setting is the key vault module's reference when the key is given, else empty.
        Assert.Equal($"[if(empty(parameters('{parameter}')), createObject('value', ''), createObject('value', reference('keyVault').outputs.{reference}.value))]",
            (string?)infra.Module("appsettings")["properties"]!["parameters"]![reference]);
        // The key vault module: that reference names the secret it creates when the key is given.
        var keyVault = infra.ModuleTemplate("keyvault");
        var output = (string)keyVault["outputs"]![reference]!["value"]!;
        var variable = Regex.Match(output, @"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{0\}secrets/\{1\}\)', reference\('vault'\)\.vaultUri, variables\('(?<name>\w+)'\)\)\]$");
        Assert.True(variable.Success, output);
        Assert.Equal(secretName, (string?)keyVault["variables"]![variable.Groups["name"].Value]);
        var secret = Assert.Single(Infra.TemplateResources(keyVault), r => (string?)r["type"] == "Microsoft.KeyVault/vaults/secrets"
            && ((string?)r["name"])!.Contains(variable.Groups["name"].Value, StringComparison.Ordinal));
        Assert.Equal($"[not(empty(parameters('{parameter}')))]", (string?)secret["condition"]);
        // The app settings module: the setting is that reference.
        Assert.Equal($"[parameters('{reference}')]", (string?)AppSettingsResource(infra)["properties"]![setting]);
    }

    [Fact]
    public async Task No_setting_holds_a_key_or_a_connection_string()
    {
        var infra = await Infra.GetAsync();
        Assert.DoesNotContain("AzureWebJobsStorage", infra.AppSettings.Keys);
        foreach (var (name, value) in infra.AppSettings)
        {
            var text = (string?)value ?? "";
            Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("InstrumentationKey=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(ListFunction(), text);
        }
    }

    /// <summary>JSON as written, without escaping the quotes of ARM expressions.</summary>
    private static string Text(JsonNode? node) =>
        node?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    private static JsonObject AppSettingsResource(Infra infra) =>
        Assert.Single(Infra.TemplateResources(infra.ModuleTemplate("appsettings")), r => (string?)r["type"] == "Microsoft.Web/sites/config");

    [GeneratedRegex(@"\blist[A-Za-z]*\(")]
    private static partial Regex ListFunction();
}
