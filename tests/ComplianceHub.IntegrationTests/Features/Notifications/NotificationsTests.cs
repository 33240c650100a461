using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Notifications;
using ComplianceHub.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.Notifications;

/// <summary>The bell's counts, and the daily e-mail digest through a real SMTP conversation (an in-process listener).</summary>
public sealed class NotificationsTests() : CommandPortalTest("notify")
{
    private Guid stale;

    protected override async Task ArrangePeopleAsync()
    {
        stale = await AddPersonAsync("US");
        await using var db = await ContextAsync();
        using var scope = Core.Auditing.AuditScope.Begin(Actor.ServerOperator, "test.stale");
        var person = await db.People.SingleAsync(p => p.Id == stale);
        person.WithAttestation(Today.AddDays(-400)); // long overdue
        await db.SaveChangesAsync();
    }

    private T Service<T>() where T : notnull => Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<T>();

    [Fact]
    public async Task TheRepresentativesBell_CountsTheirVendorsAttestations_AsTheQueryDoes()
    {
        var counts = await Service<AttestationDueQuery>().CountsAsync(AcmeRep, DemoSeeder.AcmeId);
        var bell = await Service<NotificationsQuery>().ForAsync(AcmeRep);
        var overdue = bell.Items.Single(i => i.Kind == "attestation-overdue");
        Assert.Equal(counts!.Overdue, overdue.Count);
        Assert.True(overdue.Count >= 1);
        Assert.Equal("/attestations?state=Overdue", overdue.Href);
        Assert.Equal(NotificationLevel.Urgent, overdue.Level);
        Assert.Equal(counts.DueSoon, bell.Items.SingleOrDefault(i => i.Kind == "attestation-due-soon")?.Count ?? 0);
        Assert.Equal(counts.Never, bell.Items.SingleOrDefault(i => i.Kind == "attestation-never")?.Count ?? 0);

        // Attesting the stale person takes them off the bell.
        Assert.True((await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, "I attest.", [new AttestedPerson(stale, "US", "Reston", ["US"])]))).IsOk);
        var after = await Service<NotificationsQuery>().ForAsync(AcmeRep);
        Assert.Equal(overdue.Count - 1, after.Items.SingleOrDefault(i => i.Kind == "attestation-overdue")?.Count ?? 0);

        // Globex's rep never counts Acme's people.
        var globexCounts = await Service<AttestationDueQuery>().CountsAsync(GlobexRep, null);
        var globexBell = await Service<NotificationsQuery>().ForAsync(GlobexRep);
        Assert.Equal(globexCounts!.Overdue, globexBell.Items.SingleOrDefault(i => i.Kind == "attestation-overdue")?.Count ?? 0);

        Assert.Empty((await Service<NotificationsQuery>().ForAsync(Auditor)).Items);
        Assert.All((await Service<NotificationsQuery>().ForAsync(Co1)).Items, i => Assert.Contains(i.Kind, new[] { "grant-approvals", "escort-requests", "waiver-approvals", "policy-drafts", "findings-overdue" }));
    }

    private AttestationDigestJob Job(SmtpCapture? smtp, bool enabled)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Email:Enabled"] = enabled ? "true" : "false",
            ["Notifications:Email:PortalUrl"] = "https://portal.example",
            ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Email:Smtp:Port"] = (smtp?.Port ?? 25).ToString(),
            ["Notifications:Email:Smtp:UseTls"] = "false",
            ["Notifications:Email:Smtp:From"] = "compliancehub@portal.example",
        };
        var scope = Portal.Services.CreateAsyncScope();
        return new AttestationDigestJob(scope.ServiceProvider.GetRequiredService<CommandExecutor>(),
            scope.ServiceProvider.GetRequiredService<AttestationDigestQuery>(),
            scope.ServiceProvider.GetRequiredService<AccessReviewDigestQuery>(),
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<AttestationDigestJob>.Instance);
    }

    [Fact]
    public async Task TheDigest_GoesToEachRepresentative_WithOnlyTheirVendorsDuePeople_OnceADay()
    {
        await using var smtp = new SmtpCapture();
        var sent = await Job(smtp, enabled: true).RunOnceAsync(CancellationToken.None);

        Assert.True(sent >= 1);
        var acme = Assert.Single(smtp.Messages, m => m.To.Contains("rep@acme.demo.local"));
        Assert.Equal(["rep@acme.demo.local"], acme.To);
        var text = Unfold(acme.Data);
        Assert.Contains("Acme Cloud Services", text);
        Assert.Contains("Overdue since", text);
        Assert.Contains("https://portal.example/attestations", text);
        await using var db = await ContextAsync();
        var staleEmployeeId = await db.People.Where(p => p.Id == stale).Select(p => p.EmployeeId).SingleAsync();
        Assert.Contains(staleEmployeeId, text);
        Assert.All(smtp.Messages.Where(m => !m.To.Contains("rep@acme.demo.local")), m => Assert.DoesNotContain(staleEmployeeId, Unfold(m.Data)));
        Assert.DoesNotContain(smtp.Messages, m => m.To.Any(t => t.StartsWith("co", StringComparison.Ordinal) || t.StartsWith("auditor", StringComparison.Ordinal)));

        // The day is claimed through the executor (a scheduled-run row, like the re-evaluation's); a second run the same day sends nothing, the next day sends again.
        var count = smtp.Messages.Count;
        Assert.Equal(0, await Job(smtp, enabled: true).RunOnceAsync(CancellationToken.None));
        Assert.Equal(count, smtp.Messages.Count);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime.Date,
            (await db.ScheduledRuns.AsNoTracking().SingleAsync(r => r.Name == "attestation-digest")).LastCompletedAt!.Value.UtcDateTime.Date);
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await Job(smtp, enabled: true).RunOnceAsync(CancellationToken.None) >= 1);
        Assert.True(smtp.Messages.Count > count);
    }

    [Fact]
    public async Task NothingIsSent_WhenEmailIsDisabled()
    {
        await using var smtp = new SmtpCapture();
        Assert.Equal(0, await Job(smtp, enabled: false).RunOnceAsync(CancellationToken.None));
        Assert.Empty(smtp.Messages);
        await using var db = await ContextAsync();
        Assert.False(await db.ScheduledRuns.AnyAsync(r => r.Name == "attestation-digest"));
    }

    [Fact]
    public async Task OnlyTheScheduler_ReadsDigests_AndClaimsTheDay()
    {
        Assert.Empty(await Service<AttestationDigestQuery>().DigestsAsync(AcmeRep));
        Assert.Empty(await Service<AttestationDigestQuery>().DigestsAsync(Co1));
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new ClaimAttestationDigest())).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new ClaimAttestationDigest())).Kind);
    }

    /// <summary>The message's text with quoted-printable soft line breaks undone.</summary>
    private static string Unfold(string data) => data.Replace("=\r\n", "").Replace("=\n", "").Replace("=E2=80=94", "—").Replace("=E2=80=A6", "…");
}
