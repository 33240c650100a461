namespace ComplianceHub.Web.Hosting;

/// <summary>
/// E-mail settings (<c>Notifications:Email</c>), off by default: <c>Enabled</c>, <c>PortalUrl</c> (written into the message),
/// and <c>Smtp:Host/Port/UseTls/User/Password/From</c>.
/// </summary>
public sealed class EmailSettings
{
    public bool Enabled { get; set; }
    public string? PortalUrl { get; set; }
    public SmtpSettings Smtp { get; set; } = new();

    public static EmailSettings From(IConfiguration configuration) =>
        configuration.GetSection("Notifications:Email").Get<EmailSettings>() ?? new EmailSettings();
}
