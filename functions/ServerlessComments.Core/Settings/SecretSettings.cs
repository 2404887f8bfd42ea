namespace ServerlessComments.Settings;

/// <summary>
/// In Azure a secret setting holds a Key Vault reference that the platform replaces with the
/// secret; when it cannot (a missing secret, a role not yet in effect) the app receives the
/// reference's own text. Taken as a key, that text would be a published admin password, so
/// start-up refuses it instead. Here, not in a host, because the web edge and the adapters both
/// validate secrets and share only the core. It only reads text: the core still knows no Azure API.
/// </summary>
public static class SecretSettings
{
    public static bool IsUnresolvedReference(string? value) =>
        value is not null && value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    public static string Unresolved(string setting) =>
        $"{setting} is a Key Vault reference the platform did not resolve: check that the secret exists and that the app's identity may read it (Key Vault Secrets User), then restart the app.";
}
