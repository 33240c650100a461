using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.AccessReviews;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Sends the access reviews' tick (<see cref="RunAccessReviewSchedule"/>) through the command executor as
/// <see cref="Actor.Scheduler"/> every <c>AccessReviews:ScheduleEvery</c> (default 00:15:00): recurring campaigns start,
/// reminders are claimed, deadline actions applied. The reminders the tick claimed are then e-mailed over SMTP (MailKit, the
/// attestation digest's settings <c>Notifications:Email</c>) after the tick committed; with e-mail disabled they are only
/// logged. A reminder whose e-mail fails is not retried (it was claimed), as the attestation digest (docs/adr/0014).
/// Disabled with <c>Scheduler:Enabled=false</c>.
/// </summary>
public sealed class AccessReviewScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock,
    ILogger<AccessReviewScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            log.LogInformation("The access review schedule is disabled (Scheduler:Enabled=false)");
            return;
        }
        using var timer = new PeriodicTimer(configuration.GetValue("AccessReviews:ScheduleEvery", TimeSpan.FromMinutes(15)), clock);
        do
        {
            try
            {
                using var run = Telemetry.JobRun("access-review-schedule");
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>()
                    .SendAsync(Actor.Scheduler, new RunAccessReviewSchedule(), stoppingToken);
                if (outcome.IsOk)
                {
                    var r = outcome.Value!;
                    if (r.CampaignsStarted + r.RemindersSent + r.ItemsRevoked + r.ItemsEscalated + r.ItemsKept + r.CampaignsClosed > 0)
                    {
                        log.LogInformation("Access reviews: {Started} started, {Reminders} reminders, {Revoked} revoked, {Escalated} escalated, {Kept} kept, {Closed} closed",
                            r.CampaignsStarted, r.RemindersSent, r.ItemsRevoked, r.ItemsEscalated, r.ItemsKept, r.CampaignsClosed);
                    }
                    await SendAsync(r.Reminders, stoppingToken);
                    run.Done();
                }
                else
                {
                    run.Outcome = "skipped";
                    log.LogInformation("Access review schedule skipped: {Kind} {Message}", outcome.Kind, outcome.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "The access review schedule failed; it runs again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>E-mails the reminders the tick claimed; how many went out.</summary>
    private async Task<int> SendAsync(IReadOnlyList<AccessReviewReminder> reminders, CancellationToken ct)
    {
        if (reminders.Count == 0)
        {
            return 0;
        }
        var settings = EmailSettings.From(configuration);
        if (!settings.Enabled || string.IsNullOrWhiteSpace(settings.Smtp.Host) || string.IsNullOrWhiteSpace(settings.Smtp.From))
        {
            log.LogInformation("{Count} access review reminders are due; e-mail is not enabled, so the bell alone shows them", reminders.Count);
            return 0;
        }
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, settings.Smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(settings.Smtp.User))
        {
            await smtp.AuthenticateAsync(settings.Smtp.User, settings.Smtp.Password ?? "", ct);
        }
        var sent = 0;
        foreach (var reminder in reminders)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(settings.Smtp.From));
            message.To.Add(new MailboxAddress(reminder.DisplayName, reminder.Email));
            message.Subject = reminder.Subject;
            message.Body = new TextPart("plain") { Text = reminder.Body(settings.PortalUrl) };
            try
            {
                await smtp.SendAsync(message, ct);
                sent++;
            }
            catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException)
            {
                log.LogWarning(ex, "Access review reminder to {UserId} was not accepted by the SMTP server", reminder.ReviewerId);
            }
        }
        await smtp.DisconnectAsync(true, ct);
        log.LogInformation("Access review reminders: {Sent} of {Count} e-mails sent", sent, reminders.Count);
        return sent;
    }
}
