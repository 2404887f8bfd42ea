namespace ServerlessComments.Accepting;

/// <summary>
/// The <c>Idempotency-Key</c> request header (IETF httpapi draft): a client names one submission
/// with a unique key and sends the same key with every retry of it, so that a retry after a lost
/// answer is the same comment, with the same id, however many times it arrives.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>
    /// Reads the header's value: a structured-field string (<c>"…"</c>, as the draft writes it)
    /// or, leniently, the same characters unquoted. Printable ASCII only, 1 to 255 characters.
    /// </summary>
    /// <returns>True and the key (null when there is no header), or false when it is malformed.</returns>
    public static bool TryRead(string? header, out string? key)
    {
        key = null;
        if (header is null)
            return true;
        var value = header.Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            value = value[1..^1];
        if (value.Length is 0 or > MaxLength || value.Any(c => c is < '!' or > '~' or '"' or '\\'))
            return false;
        key = value;
        return true;
    }
}
