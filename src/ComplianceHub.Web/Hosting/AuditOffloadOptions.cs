using ComplianceHub.Core.Auditing;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Section <c>AuditOffload:Syslog</c> (ADR 0039, docs/operations.md): where the audit trail is off-loaded as RFC 5424 syslog over
/// TCP (RFC 6587 octet counting), with TLS when <see cref="Tls"/>. Off by default; checked at start
/// (<see cref="AuditOffloadOptionsValidator"/>), so a portal with a bad setting does not start.
/// </summary>
public sealed class AuditOffloadOptions
{
    public const string Section = "AuditOffload:Syslog";

    public bool Enabled { get; set; }

    /// <summary>The destination's name, the key of its cursor: a new name sends the whole trail again, from sequence 1.</summary>
    public string Destination { get; set; } = "syslog";

    /// <summary>The collector's host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>The collector's TCP port; 0 takes 6514 with TLS (RFC 5425), 514 without.</summary>
    public int Port { get; set; }

    public bool Tls { get; set; }

    /// <summary>PEM file of the CA(s) the collector's certificate must chain to, instead of the system's trust store.</summary>
    public string? CaFile { get; set; }

    /// <summary>The name the collector's certificate must carry; <see cref="Host"/> when not set.</summary>
    public string? ServerName { get; set; }

    /// <summary>APP-NAME of every message.</summary>
    public string AppName { get; set; } = "compliancehub";

    /// <summary>HOSTNAME of every message: the instance; the machine's name when not set.</summary>
    public string? HostName { get; set; }

    /// <summary>Events per batch: per read, write and cursor move.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>The longest message; a longer event's JSON body is cut (marked), never its header or structured data.</summary>
    public int MaxMessageBytes { get; set; } = 8192;

    /// <summary>How often an idle sender looks for new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts after a failure (the waits double from a second up to it).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a connection, handshake or batch write may take before the attempt fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After the collector closes or resets a connection, the events written on it this long before are sent again: a flush is no
    /// receipt, and a collector that crashed may have lost what it had not saved (duplicates are dropped on <c>seq</c>).
    /// </summary>
    public TimeSpan ResendWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The health check reports Degraded once the off-load is this many events behind.</summary>
    public long LagWarning { get; set; } = 10_000;

    public int EffectivePort => Port != 0 ? Port : Tls ? 6514 : 514;

    public string EffectiveHostName => string.IsNullOrWhiteSpace(HostName) ? Environment.MachineName : HostName;

    public string EffectiveServerName => string.IsNullOrWhiteSpace(ServerName) ? Host! : ServerName;
}

/// <summary>The settings of an enabled off-load, checked when the portal starts; each problem named with its key.</summary>
internal sealed class AuditOffloadOptionsValidator : IValidateOptions<AuditOffloadOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOffloadOptions o)
    {
        if (!o.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        const string s = AuditOffloadOptions.Section;
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Host))
        {
            problems.Add($"{s}:Host is required when {s}:Enabled is true: the collector's host name or address.");
        }
        if (o.Port is < 0 or > 65535)
        {
            problems.Add($"{s}:Port {o.Port} is not a TCP port (1 to 65535; 0 or unset takes 6514 with TLS, 514 without).");
        }
        if (string.IsNullOrWhiteSpace(o.Destination) || o.Destination.Length > 60)
        {
            problems.Add($"{s}:Destination must be 1 to 60 characters (it names the cursor in audit_offload_cursors).");
        }
        if (!SyslogFormat.IsPrintableAscii(o.AppName, 48))
        {
            problems.Add($"{s}:AppName '{o.AppName}' must be 1 to 48 printable US-ASCII characters without spaces (RFC 5424 APP-NAME).");
        }
        if (!SyslogFormat.IsPrintableAscii(o.EffectiveHostName, 255))
        {
            problems.Add($"{s}:HostName '{o.EffectiveHostName}' must be 1 to 255 printable US-ASCII characters without spaces (RFC 5424 HOSTNAME); set it when the machine's name is not.");
        }
        if (o.BatchSize is < 1 or > 10_000)
        {
            problems.Add($"{s}:BatchSize {o.BatchSize} must be 1 to 10000.");
        }
        if (o.MaxMessageBytes is < SyslogFormat.MinimumMessageBytes or > 1024 * 1024)
        {
            problems.Add($"{s}:MaxMessageBytes {o.MaxMessageBytes} must be {SyslogFormat.MinimumMessageBytes} to 1048576 (match the collector's limit, e.g. rsyslog's $MaxMessageSize, 8k by default).");
        }
        if (o.ResendWindow < TimeSpan.Zero)
        {
            problems.Add($"{s}:ResendWindow must not be negative.");
        }
        if (o.PollInterval <= TimeSpan.Zero || o.MaxRetryDelay < TimeSpan.FromSeconds(1) || o.Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{s}:PollInterval and Timeout must be positive and MaxRetryDelay at least a second.");
        }
        if (!o.Tls && (!string.IsNullOrWhiteSpace(o.CaFile) || !string.IsNullOrWhiteSpace(o.ServerName)))
        {
            problems.Add($"{s}:CaFile and ServerName apply to TLS only: set {s}:Tls to true, or remove them.");
        }
        if (o.Tls && !string.IsNullOrWhiteSpace(o.CaFile))
        {
            try
            {
                SyslogConnection.LoadRoots(o.CaFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                problems.Add($"{s}:CaFile '{o.CaFile}' is not a readable PEM file of CA certificates: {ex.Message}");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
