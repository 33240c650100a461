using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Notifications;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Sends today's digests once: claims the day through the executor (<see cref="ClaimAttestationDigest"/>, as
/// <see cref="Actor.Scheduler"/>), then mails each representative their own vendor's attestation digest, and each reviewer the
/// access review items waiting for their decision (<see cref="AccessReviewDigest"/>, ADR 0040), over SMTP (MailKit).
/// At most once a day: a failure after the claim is logged and that day's digest is not retried (docs/adr/0014).
/// </summary>
public sealed class AttestationDigestJob(CommandExecutor executor, AttestationDigestQuery digests, AccessReviewDigestQuery reviews, IConfiguration configuration,
    ILogger<AttestationDigestJob> log)
{
    /// <summary>How many e-mails went out (0 when e-mail is disabled, today's digest was already sent, or nothing is due).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = EmailSettings.From(configuration);
        if (!settings.Enabled)
        {
            return 0;
        }
        if (string.IsNullOrWhiteSpace(settings.Smtp.Host) || string.IsNullOrWhiteSpace(settings.Smtp.From))
        {
            log.LogWarning("E-mail is enabled but Notifications:Email:Smtp:Host or :From is not set; no digest sent");
            return 0;
        }
        var attestations = await digests.DigestsAsync(Actor.Scheduler, ct);
        var reviewers = await reviews.DigestsAsync(Actor.Scheduler, ct);
        var due = attestations.Select(d => (d.UserId, d.Email, d.DisplayName, d.Subject, Body: d.Body(settings.PortalUrl)))
            .Concat(reviewers.Select(d => (d.UserId, d.Email, d.DisplayName, d.Subject, Body: d.Body(settings.PortalUrl)))).ToList();
        if (due.Count == 0)
        {
            return 0; // nothing to say today; a later run the same day may still find something
        }
        var claim = await executor.SendAsync(Actor.Scheduler, new ClaimAttestationDigest(), ct);
        if (!claim.IsOk)
        {
            log.LogInformation("Attestation digest skipped: {Message}", claim.Message);
            return 0;
        }
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port,
            settings.Smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(settings.Smtp.User))
        {
            await smtp.AuthenticateAsync(settings.Smtp.User, settings.Smtp.Password ?? "", ct);
        }
        var sent = 0;
        foreach (var digest in due)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(settings.Smtp.From));
            message.To.Add(new MailboxAddress(digest.DisplayName, digest.Email));
            message.Subject = digest.Subject;
            message.Body = new TextPart("plain") { Text = digest.Body };
            try
            {
                await smtp.SendAsync(message, ct);
                sent++;
            }
            catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException)
            {
                log.LogWarning(ex, "Digest to {UserId} was not accepted by the SMTP server", digest.UserId);
            }
        }
        await smtp.DisconnectAsync(true, ct);
        log.LogInformation("Daily digest: {Sent} of {Count} e-mails sent ({Attestations} attestation, {Reviews} access review)", sent, due.Count,
            attestations.Count, reviewers.Count);
        return sent;
    }
}
