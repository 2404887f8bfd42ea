namespace ServerlessComments.Adapters.Mail;

/// <summary><c>Email__Provider</c>: the one setting that says where emails go.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public const string SendGrid = "sendgrid";
    public const string Smtp = "smtp";
    public const string Outbox = "outbox";

    /// <summary><c>sendgrid</c>, <c>smtp</c> or <c>outbox</c> (local work only). Empty, as before this
    /// setting existed: SendGrid when <c>SendGrid__ApiKey</c> is set, else the outbox when
    /// <c>Notifications__Outbox=true</c>, else email is off.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The provider in lower case, or null when the setting names none we know.</summary>
    public string? ParsedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "" => "",
        SendGrid => SendGrid,
        Smtp => Smtp,
        Outbox => Outbox,
        _ => null,
    };

    public const string Invalid = "Email:Provider must be sendgrid, smtp or outbox (or unset: SendGrid when SendGrid:ApiKey is set).";
}
