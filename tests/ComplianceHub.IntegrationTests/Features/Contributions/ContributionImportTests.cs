using System.Text;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Contributions;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Features.Contributions;

/// <summary>
/// Code contributions imported from a real <c>git log</c> of a repository made here, with commits by several Acme people on
/// chosen moments of day 1 (day 0 is the start of the test):
/// <list type="bullet">
/// <item>Alice — US citizen with a direct IL2 grant from day 0 (A1 at 10:00); she moves to Shanghai on day 2;</item>
/// <item>Bruno — an Indian citizen with an escorted IL2 grant under Eve; a session covers B1 (11:00), none covers B2 (15:00);</item>
/// <item>Carol — US citizen with no grant (C1); Dmitri — Russian citizen working in Moscow, no grant (D1);</item>
/// <item>M1 by mallory@contractor.example, who is on nobody's record.</item>
/// </list>
/// </summary>
public sealed class ContributionImportTests() : CommandPortalTest("contrib"), IDisposable
{
    private const string Repository = "portal-infra";
    private DateOnly day0;
    private Guid alice, bruno, carol, dmitri;
    private readonly Dictionary<string, string> commits = [];
    private GitRepository? git;

    private DateTimeOffset At(int day, int hour) => new DateTimeOffset(day0.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(day).AddHours(hour);

    protected override async Task ArrangePeopleAsync()
    {
        day0 = Today;
        alice = await AddPersonAsync("US", email: "alice@acme.example", name: "Alice Archer");
        bruno = await AddPersonAsync("IN", tier: InvestigationTier.T3, email: "Bruno@Acme.example", name: "Bruno Bose");
        var eve = await AddPersonAsync("US", qualification: EscortQualification.Engineer, email: "eve@acme.example", name: "Eve Escort");
        carol = await AddPersonAsync("US", email: "carol@acme.example", name: "Carol Chen");
        dmitri = await AddPersonAsync("RU", work: "RU", email: "dmitri@acme.example", name: "Dmitri Dorn");

        Assert.Equal(GrantStatus.Active, (await SendAsync(Co1, new RequestGrant(alice, Il2, AccessType.NonPrivileged, false, day0, day0.AddDays(90), "Monitoring"))).Value!.Status);
        var assignment = await SendAsync(Co1, new AssignEscort(eve, bruno, Il2, day0, day0.AddDays(60)));
        Assert.True(assignment.IsOk, assignment.Message);
        var requested = await SendAsync(Co1, new RequestGrant(bruno, Il2, AccessType.NonPrivileged, true, day0, day0.AddDays(60), "Patching under escort"));
        Assert.True(requested.IsOk, requested.Message);
        if (requested.Value!.Status != GrantStatus.Active)
        {
            var approved = await SendAsync(Co2, new ApproveGrant(requested.Value.Id));
            Assert.True(approved.IsOk, approved.Message);
        }

        Clock.SetUtcNow(At(2, 1));
        var session = await SendAsync(AcmeRep, new RecordEscortedSession(assignment.Value!.Id, At(1, 10).AddMinutes(30), At(1, 12), "CHG-7", "Kernel patching"));
        Assert.True(session.IsOk, session.Message);

        git = new GitRepository();
        commits["A1"] = git!.Commit("Alice Archer", "alice@acme.example", At(1, 10), "Tune the load balancer");
        commits["B1"] = git!.Commit("Bruno Bose", "bruno@acme.example", At(1, 11), "Patch the kernel");
        commits["C1"] = git!.Commit("Carol Chen", "carol@acme.example", At(1, 12), "Update runbook");
        commits["D1"] = git!.Commit("Dmitri Dorn", "dmitri@acme.example", At(1, 13), "Refactor the deploy script");
        commits["M1"] = git!.Commit("M. Allory", "mallory@contractor.example", At(1, 14), "Add a debug endpoint");
        commits["B2"] = git!.Commit("Bruno Bose", "BRUNO@acme.example", At(1, 15), "Change firewall rules");
    }

    public void Dispose() => git?.Dispose();

    private ImportContributions Import(byte[]? log = null, bool dryRun = false) =>
        new(Core.Data.Seeding.DemoSeeder.AcmeId, Il2, Repository, "portal-infra.log", log ?? git!.Log(), dryRun);

    private async Task<Dictionary<string, CodeContribution>> StoredAsync()
    {
        await using var db = await ContextAsync();
        var rows = await db.CodeContributions.AsNoTracking().ToListAsync();
        return commits.Where(c => rows.Any(r => r.ExternalId == c.Value)).ToDictionary(c => c.Key, c => rows.Single(r => r.ExternalId == c.Value));
    }

    private static List<string> Codes(CodeContribution c) => ImportContributionsHandler.FlagCodes(c.Flags).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task GitLog_MatchesAuthorsByEmail_AndFlagsEachCommitAsOfItsDate()
    {
        var outcome = await SendAsync(AcmeRep, Import());
        Assert.True(outcome.IsOk, outcome.Message);
        var report = outcome.Value!;
        Assert.Empty(report.Errors);
        Assert.True(report.Applied);
        Assert.Equal((6, 6, 0, 5, 1, 5), (report.Rows, report.Added, report.Unchanged, report.Matched, report.Unmatched, report.Flagged));

        var stored = await StoredAsync();
        Assert.Equal(alice, stored["A1"].PersonId);
        Assert.Equal(ContributionMatch.Email, stored["B2"].Match); // e-mails compare case-insensitively
        Assert.Equal(bruno, stored["B2"].PersonId);
        Assert.Empty(Codes(stored["A1"]));
        Assert.Equal([ContributionRisk.NotUsPerson], Codes(stored["B1"])); // a session covers 11:00
        Assert.Equal([ContributionRisk.NotUsPerson, ContributionRisk.Unescorted], Codes(stored["B2"])); // none covers 15:00
        Assert.Equal([ContributionRisk.NoGrant], Codes(stored["C1"]));
        Assert.Equal([ContributionRisk.AdversaryCitizenship, ContributionRisk.AdversaryLocation, ContributionRisk.NoGrant, ContributionRisk.NotUsPerson],
            Codes(stored["D1"]));
        Assert.Equal(100 + 120 + 60 + 40, stored["D1"].RiskScore);
        Assert.Equal([ContributionRisk.Unmatched], Codes(stored["M1"]));
        Assert.Equal(ContributionMatch.Unmatched, stored["M1"].Match);
        Assert.All(stored.Values, c => Assert.Equal(ContributionSource.GitLog, c.Source));
        Assert.Equal(At(1, 13), stored["D1"].ContributedAt);

        var row = report.RowReports.Single(r => r.ExternalId == commits["D1"]);
        Assert.Equal(("Dmitri Dorn", ContributionImportAction.Add), (row.PersonName, row.Action));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AMoveToACoveredCountryAfterTheCommit_FlagsItOnlyByTheLaterFinding()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        Assert.Empty(Codes((await StoredAsync())["A1"]));

        Clock.SetUtcNow(At(2, 9));
        var moved = await SendAsync(Co1, new ChangePersonFacts(alice, "CN", "Shanghai"));
        Assert.True(moved.IsOk, moved.Message);
        Assert.NotEmpty(moved.Value!.Consequences.SuspendedGrants);

        var a1 = (await StoredAsync())["A1"];
        Assert.Equal([ContributionRisk.LaterViolation], Codes(a1)); // not the location: on the commit's day she worked in the US
        Assert.Equal(70, a1.RiskScore);
        Assert.Contains("LOC-COVERED", a1.Flags, StringComparison.Ordinal);
        // The re-flagging is itself on record, in the move's transaction.
        var flagged = await SingleEventAsync(e => e.SubjectType == "code-contribution" && e.SubjectId == a1.Id.ToString() && e.Operation == "change-person-facts");
        Assert.Contains("riskScore", flagged.Changes, StringComparison.Ordinal);

        // A commit after the move is flagged by the facts of its own day.
        commits["A2"] = git!.Commit("Alice Archer", "alice@acme.example", At(2, 12), "Open port 22");
        Clock.SetUtcNow(At(3, 0));
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        Assert.Equal([ContributionRisk.AdversaryLocation, ContributionRisk.NoGrant], Codes((await StoredAsync())["A2"]));
    }

    [Fact]
    public async Task ReimportingTheSameLog_ChangesNothing()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        var before = await StoredAsync();
        await using (var db = await ContextAsync())
        {
            var events = await db.AuditEvents.CountAsync();
            var again = (await SendAsync(Co1, Import())).Value!;
            Assert.Equal((6, 0, 0, 6), (again.Rows, again.Added, again.Updated, again.Unchanged));
            Assert.All(again.RowReports, r => Assert.Equal(ContributionImportAction.Unchanged, r.Action));
            Assert.Equal(events, await db.AuditEvents.CountAsync());
            Assert.Equal(6, await db.CodeContributions.CountAsync(c => c.VendorId == Core.Data.Seeding.DemoSeeder.AcmeId));
        }
        var after = await StoredAsync();
        Assert.All(before, b => Assert.Equal(b.Value.Version, after[b.Key].Version));
    }

    [Fact]
    public async Task AnAlias_ResolvesTheUnknownAuthor_AndTheFlagsFollow()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<ContributionsQuery>();
        var unmatched = Assert.Single((await query.UnmatchedAsync(Co1, Core.Data.Seeding.DemoSeeder.AcmeId, new PageRequest())).Items);
        Assert.Equal(("mallory@contractor.example", "M. Allory", 1), (unmatched.AuthorEmail, unmatched.AuthorNames, unmatched.Contributions));

        var alias = await SendAsync(AcmeRep, new AddContributorAlias(carol, " Mallory@Contractor.example "));
        Assert.True(alias.IsOk, alias.Message);
        var m1 = (await StoredAsync())["M1"];
        Assert.Equal((carol, ContributionMatch.Alias), (m1.PersonId, m1.Match));
        Assert.Equal([ContributionRisk.NoGrant], Codes(m1));
        Assert.Empty((await query.UnmatchedAsync(Co1, Core.Data.Seeding.DemoSeeder.AcmeId, new PageRequest())).Items);
        Assert.Equal("mallory@contractor.example", Assert.Single((await query.AliasesAsync(AcmeRep, carol))!).Email);

        var taken = await SendAsync(Co1, new AddContributorAlias(dmitri, "mallory@contractor.example"));
        Assert.Equal(OutcomeKind.Invalid, taken.Kind);
        Assert.Contains("Carol Chen", taken.Errors!["Email"][0], StringComparison.Ordinal);

        Assert.True((await SendAsync(AcmeRep, new RemoveContributorAlias(carol, alias.Value!.Id))).IsOk);
        m1 = (await StoredAsync())["M1"];
        Assert.Equal(((Guid?)null, ContributionMatch.Unmatched), (m1.PersonId, m1.Match));
        Assert.Equal([ContributionRisk.Unmatched], Codes(m1));
    }

    [Fact]
    public async Task ASharedRosterEmail_IsAmbiguous_UntilAnAliasDecides()
    {
        var twin = await AddPersonAsync("US", email: "carol@acme.example", name: "Carol Chen (second)");
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        var c1 = (await StoredAsync())["C1"];
        Assert.Equal(((Guid?)null, ContributionMatch.Ambiguous), (c1.PersonId, c1.Match));
        Assert.Contains("more than one person", c1.Flags, StringComparison.Ordinal);

        Assert.True((await SendAsync(Co1, new AddContributorAlias(twin, "carol@acme.example"))).IsOk);
        c1 = (await StoredAsync())["C1"];
        Assert.Equal((twin, ContributionMatch.Alias), (c1.PersonId, c1.Match));
    }

    [Fact]
    public async Task ASessionRecordedLater_ClearsTheUnescortedFlag()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        await using (var db = await ContextAsync())
        {
            var assignment = await db.EscortAssignments.AsNoTracking().SingleAsync(a => a.PersonId == bruno);
            Assert.True((await SendAsync(AcmeRep, new RecordEscortedSession(assignment.Id, At(1, 14), At(1, 16), "CHG-8", "Firewall change"))).IsOk);
        }
        Assert.Equal([ContributionRisk.NotUsPerson], Codes((await StoredAsync())["B2"]));
    }

    [Fact]
    public async Task AGrantRequest_RefreshesTheFlagsOfThePersonsStoredContributions_AndOnlyTheirs()
    {
        // The request's own read finds Carol's stored commit (Gate.KnownEmpty skips the gate's question only when it
        // finds none), so her flags are computed again at the request; Alice's are not touched.
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        var before = await StoredAsync();
        Clock.SetUtcNow(At(3, 9));
        var requested = await SendAsync(Co1, new RequestGrant(carol, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Runbook upkeep"));
        Assert.True(requested.IsOk, requested.Message);

        var after = await StoredAsync();
        Assert.Equal(At(3, 9), after["C1"].FlagsComputedAt);
        Assert.NotEqual(before["C1"].FlagsComputedAt, after["C1"].FlagsComputedAt);
        Assert.Equal(before["A1"].FlagsComputedAt, after["A1"].FlagsComputedAt);
    }

    [Fact]
    public async Task APolicyActivation_RecomputesEveryFlagWithItsCountrySets()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        var wider = PolicyDefaults.Baseline2026 with
        {
            CountrySets = new Dictionary<string, IReadOnlySet<string>>(PolicyDefaults.Baseline2026.CountrySets)
            {
                [PolicyParameters.Adversary] = new HashSet<string>(PolicyDefaults.Baseline2026.Set(PolicyParameters.Adversary)) { "IN" },
            },
        };
        var draft = await SendAsync(Co1, new DraftPolicyVersion("India added to ADVERSARY", wider));
        Assert.True(draft.IsOk, draft.Message);
        Assert.True((await SendAsync(Co2, new ActivatePolicyVersion(draft.Value!.Id))).IsOk);

        var b1 = (await StoredAsync())["B1"];
        // The new set also opens a CIT-CONCERN finding on Bruno's grant: found later, after the commit.
        Assert.Equal([ContributionRisk.AdversaryCitizenship, ContributionRisk.LaterViolation, ContributionRisk.NotUsPerson], Codes(b1));
        Assert.Equal(70 + 70 + 40, b1.RiskScore);
        Assert.Equal(2, b1.FlagsPolicyVersion);
    }

    [Fact]
    public async Task ADryRun_ReportsExactlyWhatApplyingWould_AndWritesNothing()
    {
        await using var db = await ContextAsync();
        var events = await db.AuditEvents.CountAsync();
        var report = (await SendAsync(AcmeRep, Import(dryRun: true))).Value!;
        Assert.Equal((6, 6, 5, 1, 5, false), (report.Rows, report.Added, report.Matched, report.Unmatched, report.Flagged, report.Applied));
        Assert.Equal([ContributionRisk.NotUsPerson, ContributionRisk.Unescorted],
            report.RowReports.Single(r => r.ExternalId == commits["B2"]).Flags.Order(StringComparer.Ordinal).ToList());
        Assert.Equal(0, await db.CodeContributions.CountAsync(c => c.VendorId == Core.Data.Seeding.DemoSeeder.AcmeId));
        Assert.Equal(events, await db.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task ABadLine_RefusesTheWholeFile_NamingEachLineAndField()
    {
        var log = Encoding.UTF8.GetString(git!.Log()).Split('\n').ToList();
        log.Insert(2, "not-a-hash\tEve\teve@acme.example\t2026-01-01T00:00:00+00:00\tWhatever");
        log.Insert(4, $"{new string('a', 40)}\tEve\tno-email\tyesterday\tBroken");
        log.Insert(5, "only\ttwo");
        var report = (await SendAsync(AcmeRep, Import(Encoding.UTF8.GetBytes(string.Join('\n', log))))).Value!;
        Assert.False(report.Applied);
        Assert.Contains(report.Errors, e => e is { Row: 3, Field: "id" });
        Assert.Contains(report.Errors, e => e is { Row: 5, Field: "authorEmail" });
        Assert.Contains(report.Errors, e => e is { Row: 5, Field: "date" });
        Assert.Contains(report.Errors, e => e is { Row: 6, Field: "line" });
        Assert.Equal(ContributionImportAction.Error, report.RowReports.Single(r => r.Line == 6).Action);
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.CodeContributions.CountAsync(c => c.VendorId == Core.Data.Seeding.DemoSeeder.AcmeId));

        var latin1 = await SendAsync(AcmeRep, Import([0x61, 0xE9, 0x0A]));
        Assert.Contains("not UTF-8", Assert.Single(latin1.Value!.Errors).Message, StringComparison.Ordinal);
        var future = await SendAsync(AcmeRep, Import(Encoding.UTF8.GetBytes($"{new string('b', 40)}\tEve\teve@acme.example\t{At(9, 0):yyyy-MM-dd'T'HH:mm:sszzz}\tLater")));
        Assert.Contains("in the future", Assert.Single(future.Value!.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvFile_Imports_AndMayCorrectATitle_ButNotWhoOrWhen()
    {
        const string header = "ID,Repository,Author Name,Author Email,Date,Title,URL\n";
        var csv = header + $"PR-11,infra-tickets,Carol Chen,carol@acme.example,{At(1, 9):yyyy-MM-dd'T'HH:mm:ss'Z'},Grant rotation,https://git.acme.example/pr/11\n";
        var import = new ImportContributions(Core.Data.Seeding.DemoSeeder.AcmeId, Il2, null, "changes.csv", Encoding.UTF8.GetBytes(csv), false);
        var first = (await SendAsync(AcmeRep, import)).Value!;
        Assert.Equal((1, 1), (first.Added, first.Matched));

        var corrected = (await SendAsync(AcmeRep, import with { Content = Encoding.UTF8.GetBytes(csv.Replace("Grant rotation", "Key rotation")) })).Value!;
        Assert.Equal((0, 1), (corrected.Added, corrected.Updated));
        await using (var db = await ContextAsync())
        {
            var stored = await db.CodeContributions.AsNoTracking().SingleAsync(c => c.ExternalId == "PR-11");
            Assert.Equal(("Key rotation", "infra-tickets", ContributionSource.Csv, "https://git.acme.example/pr/11"), (stored.Title, stored.Repository, stored.Source, stored.Url));
        }
        var other = (await SendAsync(AcmeRep, import with { Content = Encoding.UTF8.GetBytes(csv.Replace("carol@", "eve@")) })).Value!;
        Assert.Contains("imported before", Assert.Single(other.Errors).Message, StringComparison.Ordinal);

        var badHeader = (await SendAsync(AcmeRep, import with { Content = Encoding.UTF8.GetBytes("id,who,date\nx,y,z\n") })).Value!;
        Assert.Contains(badHeader.Errors, e => e.Field == "who");
        Assert.Contains(badHeader.Errors, e => e.Field == "authorEmail");
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_SeesNothing_AndChangesNothing()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, Import())).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, Import() with { VendorId = Core.Data.Seeding.DemoSeeder.GlobexId })).Kind); // IL2 is not on Globex's contract
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new AddContributorAlias(carol, "x@globex.example"))).Kind);

        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<ContributionsQuery>();
        Assert.Equal(0, (await query.ListAsync(GlobexRep, new ContributionFilter(), new PageRequest())).Total);
        Assert.Equal(6, (await query.ListAsync(AcmeRep, new ContributionFilter(), new PageRequest())).Total);
        var id = (await StoredAsync())["D1"].Id;
        Assert.Null(await query.DetailAsync(GlobexRep, id));
        Assert.Null(await query.AliasesAsync(GlobexRep, carol));
        Assert.Empty((await query.UnmatchedAsync(GlobexRep, null, new PageRequest())).Items);
        Assert.Equal(0, (await query.CountsAsync(GlobexRep, null)).Contributions);
    }

    [Fact]
    public async Task TheQueue_PutsTheRiskiestFirst_AndTheDetailShowsTheFactsOfThatDay()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<ContributionsQuery>();
        var queue = await query.ListAsync(Auditor, new ContributionFilter(VendorId: Core.Data.Seeding.DemoSeeder.AcmeId, FlaggedOnly: true), new PageRequest());
        Assert.Equal(5, queue.Total);
        Assert.Equal(commits["D1"], queue.Items[0].ExternalId);
        Assert.True(queue.Items.Zip(queue.Items.Skip(1)).All(p => p.First.RiskScore >= p.Second.RiskScore));
        Assert.Equal([commits["C1"]], (await query.ListAsync(Auditor, new ContributionFilter(Flag: ContributionRisk.NoGrant, Search: "runbook"), new PageRequest()))
            .Items.Select(i => i.ExternalId));

        var detail = (await query.DetailAsync(Auditor, queue.Items.Single(i => i.ExternalId == commits["B1"]).Id))!;
        Assert.Equal("\"IN\"", detail.AuthorFactsThen["citizenships"]!.Value.EnumerateArray().Single().GetRawText());
        Assert.Equal(GrantStatus.Active, Assert.Single(detail.Grants).StatusThen);
        Assert.Equal("Eve Escort", Assert.Single(detail.Escorts).EscortName);
        Assert.Equal("CHG-7", Assert.Single(detail.Sessions).ChangeTicket);

        var counts = await query.CountsAsync(Co1, Core.Data.Seeding.DemoSeeder.AcmeId);
        Assert.Equal((6, 5, 0, 0, 1), (counts.Contributions, counts.FlaggedUnreviewed, counts.NeedsRemediation, counts.Escalated, counts.UnmatchedAuthors));
    }

    [Fact]
    public async Task AVerdict_IsRecordedByAnAuditorOrOfficer_AndAudited()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        var d1 = (await StoredAsync())["D1"];
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new ReviewContribution(d1.Id, ReviewVerdict.NoConcern, null))).Kind);
        var noNotes = await SendAsync(Auditor, new ReviewContribution(d1.Id, ReviewVerdict.Escalated, " "));
        Assert.Equal(OutcomeKind.Invalid, noNotes.Kind);
        Assert.True(noNotes.Errors!.ContainsKey("Notes"));
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Auditor, new ReviewContribution(d1.Id, ReviewVerdict.Escalated, "x", "12345"))).Kind);

        var reviewed = await SendAsync(Auditor, new ReviewContribution(d1.Id, ReviewVerdict.Escalated, "Deploy script written from Moscow; referred to DCSA.", d1.Version.ToString()));
        Assert.True(reviewed.IsOk, reviewed.Message);
        var stored = (await StoredAsync())["D1"];
        Assert.Equal((ReviewVerdict.Escalated, "Jordan Auditor"), (stored.ReviewVerdict, stored.ReviewedByName));
        var audit = await SingleEventAsync(e => e.SubjectType == "code-contribution" && e.SubjectId == d1.Id.ToString() && e.Operation == "review-contribution");
        Assert.Equal(("Auditor", 7101), (audit.ActorRole, audit.EventType));
        Assert.Contains("Escalated", audit.Changes, StringComparison.Ordinal);

        Assert.True((await SendAsync(Co1, new ReviewContribution(d1.Id, ReviewVerdict.NeedsRemediation, "Revert and re-review the script."))).IsOk);
        await using var scope = Portal.Services.CreateAsyncScope();
        var detail = (await scope.ServiceProvider.GetRequiredService<ContributionsQuery>().DetailAsync(Auditor, d1.Id))!;
        Assert.Equal(["Escalated", "NeedsRemediation"], detail.History.Select(h => h.Verdict));
        var repView = (await scope.ServiceProvider.GetRequiredService<ContributionsQuery>().DetailAsync(AcmeRep, d1.Id))!;
        Assert.Null(repView.Row.ReviewNotes); // the reviewers' notes stay with the reviewers
        Assert.Empty(repView.History);
    }

    [Fact]
    public async Task AnUnmatchedAuthorsChange_IsReviewedToo_AndItsEventsAreTheVendors()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        var m1 = (await StoredAsync())["M1"];
        var reviewed = await SendAsync(Co1, new ReviewContribution(m1.Id, ReviewVerdict.Escalated, "Author unknown to the vendor."));
        Assert.True(reviewed.IsOk, reviewed.Message);
        Assert.Equal(ReviewVerdict.Escalated, (await StoredAsync())["M1"].ReviewVerdict);

        await using var scope = Portal.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<Core.Auditing.AuditTrailQuery>();
        var acme = await trail.ListAsync(Auditor, new Core.Auditing.AuditFilter(SubjectType: "code-contribution", VendorId: Core.Data.Seeding.DemoSeeder.AcmeId), new PageRequest(1, 100));
        Assert.Contains(acme.Items, e => e.SubjectId == m1.Id.ToString() && e.Operation == "review-contribution");
        var globex = await trail.ListAsync(Auditor, new Core.Auditing.AuditFilter(SubjectType: "code-contribution", VendorId: Core.Data.Seeding.DemoSeeder.GlobexId), new PageRequest(1, 100));
        Assert.Empty(globex.Items);
    }

    [Fact]
    public async Task FlagsAndVerdicts_CannotBeWrittenAroundTheGate()
    {
        Assert.True((await SendAsync(AcmeRep, Import())).IsOk);
        var d1 = (await StoredAsync())["D1"];
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"UPDATE code_contributions SET risk_score = 0, flags = '[]', review_verdict = 'NoConcern', reviewed_at = now() WHERE id = '{d1.Id}'"));
        Assert.Contains("not evaluated by the compliance gate", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal(d1.RiskScore, (await StoredAsync())["D1"].RiskScore);
    }
}
