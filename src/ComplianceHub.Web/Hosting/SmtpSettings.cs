namespace ComplianceHub.Web.Hosting;

public sealed class SmtpSettings
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;

    /// <summary>STARTTLS required (true, the default) or a plain connection (false: only for a relay on the same host or in tests).</summary>
    public bool UseTls { get; set; } = true;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "";
}
