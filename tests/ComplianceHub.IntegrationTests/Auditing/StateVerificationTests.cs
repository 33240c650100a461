using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// State verification (ADR 0031): after every kind of change the portal makes, the trail explains every row of the audited
/// tables; and whatever the database owner changes behind the portal's back — a value, a new row, a removed row, in any
/// audited table — the verifier names exactly that row and field, in words.
/// </summary>
public sealed class StateVerificationTests() : CommandPortalTest("stateverify")
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);
    private Guid holder, foreigner, escort;

    protected override async Task ArrangePeopleAsync()
    {
        holder = await AddPersonAsync("US", name: "Hana Holder");
        foreigner = await AddPersonAsync("DE", name: "Dieter Foreign");
        escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer, name: "Erin Escort");
    }

    private async Task<StateVerification> VerifyAsync(Actor? actor = null)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StateVerifier>().VerifyAsync(actor ?? Auditor);
    }

    private static T Ok<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.IsOk, $"{outcome.Kind}: {outcome.Message} {string.Join("; ", outcome.Errors?.SelectMany(e => e.Value) ?? [])}");
        return outcome.Value!;
    }

    private static string Explained(StateVerification result) =>
        string.Join("\n", result.Listed.Select(d => d.Explanation));

    [Fact]
    public async Task TheDemoData_AndEveryKindOfChangeThePortalMakes_VerifyClean()
    {
        Assert.True((await VerifyAsync()).Clean);

        // People: added one by one and by a roster import large enough for one bulk event (ADR 0022), edited, moved, terminated.
        var added = Ok(await SendAsync(AcmeRep, new AddPerson(DemoSeeder.AcmeId, new PersonFields("SV-1", "Sam Verify", "sam@acme.example",
            EmployerType.Subcontractor, ["US", "CA"], "CA", false, new WorkLocation("US", "Austin"), InvestigationTier.T3, Today.AddYears(-2),
            true, Clearance.Secret, Today.AddMonths(-3))))).Person;
        Ok(await SendAsync(Co1, new UpdatePerson(added.Id, added.Version, new PersonFields("SV-1", "Sam Verified", "sam.v@acme.example",
            EmployerType.VendorEmployee, ["US"], "CA", true, new WorkLocation("US", "Dallas"), InvestigationTier.T5, Today.AddYears(-1),
            false, Clearance.TopSecret, null, EscortQualification.Operator, Today.AddDays(-10)))));
        var rows = new StringBuilder(string.Join(',', RosterFile.Columns)).Append('\n');
        for (var i = 1; i <= AuditRecorder.BulkPeopleThreshold + 10; i++)
        {
            rows.Append($"BULK-{i:D4},Bulk Person {i},bulk{i}@acme.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n");
        }
        Ok(await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "bulk.csv", Encoding.UTF8.GetBytes(rows.ToString()), DryRun: false)));

        // Grants: requested (active at once, and pending a second officer), approved, refused, suspended, reactivated, revoked.
        var il2 = Ok(await SendAsync(Co1, new RequestGrant(holder, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support")));
        var il5 = Ok(await SendAsync(Co1, new RequestGrant(holder, Il5, AccessType.Privileged, false, Today, Today.AddDays(30), "Operations")));
        Ok(await SendAsync(Co2, new ApproveGrant(il5.Id)));
        Assert.Equal(OutcomeKind.Refused, (await SendAsync(Co1, new RequestGrant(foreigner, Il5, AccessType.Data, false, Today, Today.AddDays(30), "No"))).Kind);
        Ok(await SendAsync(Co1, new DecideGrant(il5.Id, GrantDecision.Suspend, "Investigating")));
        Ok(await SendAsync(Co2, new DecideGrant(il5.Id, GrantDecision.Reactivate, "Cleared")));
        Ok(await SendAsync(Co1, new AssignEscort(escort, foreigner, Il2, Today.AddDays(-1), Today.AddDays(20))));
        var escorted = Ok(await SendAsync(Co1, new RequestGrant(foreigner, Il2, AccessType.NonPrivileged, true, Today, Today.AddDays(20), "Escorted support")));
        Ok(await SendAsync(Co2, new ApproveGrant(escorted.Id)));

        // A fact change with consequences (suspension, finding), the finding worked and waived; an attestation; a termination.
        Ok(await SendAsync(Co1, new ChangePersonFacts(holder, "CN", "Shenzhen")));
        await using (var db = await ContextAsync())
        {
            var finding = await db.Findings.FirstAsync(f => f.PersonId == holder);
            Ok(await SendAsync(AcmeRep, new AcknowledgeFinding(finding.Id, "Checking the location")));
        }
        Ok(await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, "I attest.", [new AttestedPerson(escort, "US", "Reston", ["US"])])));
        Ok(await SendAsync(Co1, new TerminatePerson(added.Id, Today)));

        // A warning's finding waived by two officers; an escort requested by the vendor and approved; a session signed off.
        var unvetted = await AddPersonAsync("US", tier: InvestigationTier.None, name: "Uma Unvetted", email: "uma@acme.example");
        Ok(await SendAsync(Co1, new RequestGrant(unvetted, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support")));
        await using (var db = await ContextAsync())
        {
            var warning = await db.Findings.SingleAsync(f => f.PersonId == unvetted);
            var waiver = Ok(await SendAsync(Co1, new RequestWaiver(warning.Id, "Investigation scheduled next week.", Today.AddDays(20))));
            Ok(await SendAsync(Co2, new ApproveWaiver(waiver.Id)));
        }
        var request = Ok(await SendAsync(AcmeRep, new Core.Features.Escorts.RequestEscort(escort, foreigner, Il5, Today, Today.AddDays(10), "Data migration")));
        Ok(await SendAsync(Co1, new Core.Features.Escorts.DecideEscortRequest(request.Id, true, "Approved")));
        await using (var db = await ContextAsync())
        {
            var assignment = await db.EscortAssignments.FirstAsync(a => a.PersonId == foreigner && a.SystemId == Il2);
            // The IL2 assignment runs from yesterday: a session recorded hours ago falls in it at any time of day (00:00-03:00 UTC too).
            var session = Ok(await SendAsync(AcmeRep, new RecordEscortedSession(assignment.Id, Clock.GetUtcNow().AddHours(-3), Clock.GetUtcNow().AddHours(-1),
                "CHG-42", "Patching")));
            Ok(await SendAsync(AcmeRep, new SignOffEscortedSession(session.Id)));
        }

        // Screening: a new list matches a person (their grant held), an officer clears the match.
        var petrov = Ok(await SendAsync(AcmeRep, new AddPerson(DemoSeeder.AcmeId, new PersonFields("SV-2", "Ivan Petrov", "ivan@acme.example",
            EmployerType.VendorEmployee, ["US"], "US", false, new WorkLocation("US", "Reston"), InvestigationTier.T3, Today.AddYears(-1),
            true, Clearance.None, Today.AddMonths(-1))))).Person;
        Ok(await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, "I attest.", [new AttestedPerson(petrov.Id, "US", "Reston", ["US"])])));
        Ok(await SendAsync(Co1, new RequestGrant(petrov.Id, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support")));
        Ok(await SendAsync(Actor.ServerOperator, new Core.Features.Screening.ImportRestrictedPartyList("list.csv", Encoding.UTF8.GetBytes(
            "source,entity_number,type,programs,name,alt_names,addresses,country,federal_register_notice,start_date,end_date,source_list_url\n" +
            "Specially Designated Nationals (SDN) - Treasury Department,36541,Individual,RUSSIA-EO14024,\"PETROV, Ivan Sergeyevich\",Ivan Petrov,\"Moscow, RU\",RU,,,,\n"))));
        await using (var db = await ContextAsync())
        {
            var hit = await db.ScreeningHits.SingleAsync(h => h.PersonId == petrov.Id && h.Status == Core.Domain.Screening.HitStatus.Pending);
            Ok(await SendAsync(Co1, new Core.Features.Screening.AdjudicateScreeningHit(hit.Id, Core.Domain.Screening.HitDecision.FalsePositive,
                "Different date of birth on the passport.")));
        }

        // Policy: a draft, revised, activated by another officer (the baseline retires; its consequences run in batches).
        var draft = Ok(await SendAsync(Co1, new DraftPolicyVersion("Shorter grants", PolicyDefaults.Baseline2026 with { MaxGrantDays = 200 })));
        draft = Ok(await SendAsync(Co1, new RevisePolicyDraft(draft.Id, "Shorter grants, revised", PolicyDefaults.Baseline2026 with { MaxGrantDays = 180 })));
        Ok(await SendAsync(Co2, new ActivatePolicyVersion(draft.Id)));

        // Vendors and systems: created, corrected, an impact level raised (its grants re-evaluated); the scheduler's run.
        var vendor = Ok(await SendAsync(Co1, new CreateVendor("Verify Vendor LLC", "VV001", "VERIFYVEND01")));
        Ok(await SendAsync(Co1, new UpdateVendor(vendor.Id, vendor.Version, "Verify Vendor Inc", "VV001", "VERIFYVEND01")));
        var system = Ok(await SendAsync(Co1, new CreateSystem("Verify Lab", "Verify Vendor", "Lab", ImpactLevel.IL2)));
        Ok(await SendAsync(Co1, new UpdateSystem(system.Id, system.Version, "Verify Lab", "Verify Vendor", "GovCloud", ImpactLevel.IL4)));
        await using (var db = await ContextAsync())
        {
            var il2System = await db.Systems.AsNoTracking().SingleAsync(s => s.Id == Il2);
            Ok(await SendAsync(Co1, new UpdateSystem(Il2, il2System.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), il2System.Name,
                il2System.Provider, il2System.Environment, ImpactLevel.IL4)));
        }
        Ok(await SendAsync(Actor.Scheduler, new ReevaluateGrants()));

        // An integrity finding opened by a job and closed by the administrator with what was found.
        var integrity = Ok(await SendAsync(Admin, new RaiseIntegrityFinding(IntegrityFindingKinds.AuditChain, "The chain broke at event 7.",
            new Dictionary<string, string> { ["sequence"] = "7" })));
        Ok(await SendAsync(Admin, new CloseIntegrityFinding(integrity.Id, "A restore test wrote into production; restored from the backup.")));

        var result = await VerifyAsync();
        Assert.True(result.Clean, Explained(result));
        Assert.True(result.Tables.Single(t => t.Table == "people").Rows > AuditRecorder.BulkPeopleThreshold);
        Assert.All(result.Tables, t => Assert.True(t.Rows > 0, t.Table));
    }

    /// <summary>Two rows of every audited table, made through the portal: one to change, one to delete.</summary>
    private sealed record Rows(Guid Grant, Guid Escort, Guid Finding, Guid Policy, IReadOnlyDictionary<string, (Guid Changed, Guid Deleted)> ByTable);

    private async Task<Rows> ArrangeRowsAsync()
    {
        var spare = await AddPersonAsync("US", name: "Sol Spare", email: "spare@acme.example");
        var foreigner2 = await AddPersonAsync("FR", name: "Fleur Foreign", email: "fleur@acme.example");
        var lab = Ok(await SendAsync(Co1, new CreateSystem("Tamper Lab", "Acme", "Lab", ImpactLevel.IL2))).Id;
        var lab2 = Ok(await SendAsync(Co1, new CreateSystem("Tamper Lab 2", "Acme", "Lab", ImpactLevel.IL2))).Id;
        var grant = Ok(await SendAsync(Co1, new RequestGrant(holder, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support"))).Id;
        Ok(await SendAsync(Co1, new RequestGrant(holder, lab, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Lab work")));
        var spareGrant = Ok(await SendAsync(Co1, new RequestGrant(escort, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support"))).Id;
        var assignment = Ok(await SendAsync(Co1, new AssignEscort(escort, foreigner, Il2, Today, Today.AddDays(20)))).Id;
        var assignment2 = Ok(await SendAsync(Co1, new AssignEscort(escort, foreigner2, Il2, Today, Today.AddDays(20)))).Id;
        Ok(await SendAsync(Co1, new ChangePersonFacts(holder, "CN", "Shenzhen"))); // suspends both grants, opens LOC-COVERED on each
        var policy = Ok(await SendAsync(Co1, new DraftPolicyVersion("Draft to tamper with", PolicyDefaults.Baseline2026))).Id;
        var policy2 = Ok(await SendAsync(Co1, new DraftPolicyVersion("Another draft", PolicyDefaults.Baseline2026))).Id;
        var vendor = Ok(await SendAsync(Co1, new CreateVendor("Tamper Vendor LLC", "TV001", "TAMPERVEND01"))).Id;
        var vendor2 = Ok(await SendAsync(Co1, new CreateVendor("Tamper Vendor Two LLC", "TV002", "TAMPERVEND02"))).Id;
        var chainFinding = Ok(await SendAsync(Admin, new RaiseIntegrityFinding(IntegrityFindingKinds.AuditChain, "The chain broke at event 7.",
            new Dictionary<string, string> { ["sequence"] = "7" }))).Id;
        var stateFinding = Ok(await SendAsync(Admin, new RaiseIntegrityFinding(IntegrityFindingKinds.StateVerification, "A value differs.",
            new Dictionary<string, string> { ["unexplained"] = "1" }))).Id;
        await using var db = await ContextAsync();
        var findings = await db.Findings.Where(f => f.PersonId == holder).OrderBy(f => f.DetectedAt).ThenBy(f => f.Id).Select(f => f.Id).ToListAsync();
        Assert.Equal(2, findings.Count);
        return new Rows(grant, assignment, findings[0], policy, new Dictionary<string, (Guid, Guid)>
        {
            ["people"] = (holder, spare),
            ["access_grants"] = (grant, spareGrant),
            ["escort_assignments"] = (assignment, assignment2),
            ["findings"] = (findings[0], findings[1]),
            ["policy_versions"] = (policy, policy2),
            ["cloud_systems"] = (lab, lab2),
            ["vendors"] = (vendor, vendor2),
            ["integrity_findings"] = (chainFinding, stateFinding),
        });
    }

    /// <summary>What an insider with the owner's credentials does: the receipt triggers switched off, the statements run, the triggers back on.</summary>
    private async Task AsOwnerAsync(params string[] statements)
    {
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        string[] tables = ["people", "access_grants", "escort_assignments", "findings", "policy_versions", "cloud_systems", "vendors", "person_fact_history",
            "integrity_findings"];
        foreach (var sql in tables.Select(t => $"ALTER TABLE {t} DISABLE TRIGGER USER").Concat(statements).Concat(tables.Select(t => $"ALTER TABLE {t} ENABLE TRIGGER USER")))
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>A copy of a row under a new id (and new values for its unique columns): a row no event created.</summary>
    private static string CopyOf(string table, Guid source, Guid id, string overrides = "{}") =>
        $"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, to_jsonb(x) || jsonb_build_object('id', '{id}') || '{overrides}'::jsonb)).* " +
        $"FROM {table} x WHERE id = '{source}'";

    public static TheoryData<string, string, string, string> Tampering() => new()
    {
        // table, the change (a value of each kind the tables hold), the trail's name of the changed field, overrides for the copy
        { "people", "work_country = 'RU'", "workCountry", """{"employee_id": "INSIDER-1"}""" },
        { "access_grants", "status = 'Active'", "status", "{}" },
        { "escort_assignments", "ends_on = ends_on + 365", "endsOn", "{}" },
        { "findings", "facts = facts || '{\"workCountry\": \"US\"}'", "facts", $$"""{"subject_id": "{{Guid.NewGuid()}}"}""" },
        { "policy_versions", "number = 42", "number", """{"number": 43}""" },
        { "cloud_systems", "impact_level = 'IL6'", "impactLevel", """{"name": "Shadow system"}""" },
        { "vendors", "name = 'Renamed Behind The Back Inc'", "name", """{"name": "Shadow LLC", "cage_code": "SHDW1", "uei": "SHADOWVEND01"}""" },
        // An integrity finding closed behind the portal's back (the insider silencing the alarm) is itself named.
        { "integrity_findings", "status = 'Closed'", "status", """{"status": "Closed"}""" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task AValueChanged_ARowAdded_AndARowDeleted_AsTheOwner_AreEachNamed(string table, string change, string field, string overrides)
    {
        var rows = await ArrangeRowsAsync();
        Assert.True((await VerifyAsync()).Clean);
        var (changed, deleted) = rows.ByTable[table];
        var added = Guid.NewGuid();
        await AsOwnerAsync(CopyOf(table, changed, added, overrides), $"UPDATE {table} SET {change} WHERE id = '{changed}'",
            table == "people" ? $"DELETE FROM person_fact_history WHERE person_id = '{deleted}'" : "SELECT 1",
            $"DELETE FROM {table} WHERE id = '{deleted}'");

        var result = await VerifyAsync();
        var found = result.Listed.Select(d => (d.Kind, d.RowId, d.Field)).OrderBy(d => d.Kind).ThenBy(d => d.RowId).ToList();
        var expected = new List<(StateDiscrepancyKind, string, string?)>
        {
            (StateDiscrepancyKind.Changed, changed.ToString(), field),
            (StateDiscrepancyKind.NoCreatingEvent, added.ToString(), null),
            (StateDiscrepancyKind.Gone, deleted.ToString(), null),
        };
        Assert.Equal(expected.OrderBy(d => d.Item1).ThenBy(d => d.Item2).ToList(), found);
        Assert.Equal(expected.Count, result.Discrepancies);
        Assert.All(result.Tables, t => Assert.Equal(t.Table == table ? expected.Count : 0, t.Discrepancies));
        // In words: no ids, no camelCase field names, no enum names.
        Assert.All(result.Listed, d => Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-", d.Explanation));
        if (field.Any(char.IsUpper))
        {
            Assert.All(result.Listed, d => Assert.DoesNotContain(field, d.Explanation, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(result.Listed, d => d.Explanation.Contains("PendingApproval", StringComparison.Ordinal));
        Assert.False(result.Clean);
    }

    [Fact]
    public async Task TheWords_NameThePersonTheFieldAndBothValues()
    {
        await AsOwnerAsync($"UPDATE people SET work_country = 'CN' WHERE id = '{holder}'");
        var d = Assert.Single((await VerifyAsync()).Listed);
        Assert.Equal("person Hana Holder (Acme Cloud Services)", d.Subject);
        Assert.Equal(("Work country", "United States (US)", "China (CN)"), (d.FieldName, d.Expected, d.Found));
        Assert.Equal("Person Hana Holder (Acme Cloud Services): work country changed outside the portal — the trail says United States (US), " +
                     "the table holds China (CN).", d.Explanation);
        Assert.Equal(("\"US\"", "\"CN\""), (d.TrailValue, d.TableValue));
    }

    [Fact]
    public async Task EveryKindOfValue_IsComparedByWhatItMeans_NotByHowItIsWritten()
    {
        var rows = await ArrangeRowsAsync();
        // Rewrites that change nothing: the same values, a timestamp rewritten as text, JSON with its keys in another order.
        await AsOwnerAsync(
            $"UPDATE people SET work_country = work_country, citizenships = citizenships, adjudicated_on = adjudicated_on::text::date WHERE id = '{holder}'",
            $"UPDATE access_grants SET requested_at = requested_at::text::timestamptz, approved_at = approved_at, policy_version_id = policy_version_id WHERE id = '{rows.Grant}'",
            $"UPDATE findings SET facts = (SELECT jsonb_object_agg(key, value) FROM (SELECT * FROM jsonb_each(facts) ORDER BY key DESC) k), policy_version = policy_version WHERE id = '{rows.Finding}'",
            $"UPDATE policy_versions SET parameters = parameters::text::jsonb WHERE id = '{rows.Policy}'");
        var unchanged = await VerifyAsync();
        Assert.True(unchanged.Clean, Explained(unchanged));

        await AsOwnerAsync(
            // a day to none, a flag, an array, a day
            $"UPDATE people SET nda_signed_on = NULL, us_lawful_permanent_resident = true, citizenships = '{{US,CN}}', adjudicated_on = adjudicated_on - 1 WHERE id = '{holder}'",
            // an instant by a microsecond, an id to none, free text
            $"UPDATE access_grants SET approved_at = approved_at + interval '1 microsecond', policy_version_id = NULL, justification = 'Whatever' WHERE id = '{rows.Grant}'",
            // a number, JSON
            $"UPDATE findings SET policy_version = 99, facts = facts || '{{\"forged\": \"yes\"}}' WHERE id = '{rows.Finding}'",
            // a flag on an escort assignment, none to a value
            $"UPDATE escort_assignments SET active = false WHERE id = '{rows.Escort}'",
            $"UPDATE policy_versions SET retired_at = now() WHERE id = '{rows.Policy}'");
        var result = await VerifyAsync();
        var fields = result.Listed.Select(d => (d.Table, d.Field!)).Order().ToList();
        Assert.Equal(new List<(string, string)>
        {
            ("access_grants", "approvedAt"), ("access_grants", "justification"), ("access_grants", "policyVersionId"),
            ("escort_assignments", "active"),
            ("findings", "facts"), ("findings", "policyVersion"),
            ("people", "adjudicatedOn"), ("people", "citizenships"), ("people", "ndaSignedOn"), ("people", "usLawfulPermanentResident"),
            ("policy_versions", "retiredAt"),
        }, fields);
        string Words(string field) => result.Listed.Single(d => d.Field == field) is var d ? $"{d.Expected} → {d.Found}" : "";
        Assert.Equal("United States (US) → United States (US), China (CN)", Words("citizenships"));
        Assert.Equal("no → yes", Words("usLawfulPermanentResident"));
        Assert.Matches(@"^\d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d$", Words("adjudicatedOn"));
        Assert.Equal("\"Support\" → \"Whatever\"", Words("justification"));
        Assert.EndsWith("→ (none)", Words("ndaSignedOn"), StringComparison.Ordinal);
        Assert.Equal("yes → no", Words("active"));
        Assert.StartsWith("(none) → ", Words("retiredAt"), StringComparison.Ordinal);
        Assert.EndsWith("UTC", Words("retiredAt"), StringComparison.Ordinal);
        Assert.Equal("policy version 1 (DoD baseline 2026) → (none)", Words("policyVersionId"));
        Assert.Equal("Forged: (none) → Forged: yes", Words("facts"));
    }

    [Fact]
    public async Task PeopleAddedInBulk_AreExplainedByTheirEvent_AndTamperingWithOneIsNamed()
    {
        var rows = new StringBuilder(string.Join(',', RosterFile.Columns)).Append('\n');
        for (var i = 1; i <= AuditRecorder.BulkPeopleThreshold; i++)
        {
            rows.Append($"BULK-{i:D4},Bulk Person {i},bulk{i}@acme.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n");
        }
        Ok(await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "bulk.csv", Encoding.UTF8.GetBytes(rows.ToString()), DryRun: false)));
        await using (var db = await ContextAsync())
        {
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.EventType == AuditEventTypes.PeopleAdded));
        }
        Assert.True((await VerifyAsync()).Clean);

        await AsOwnerAsync("UPDATE people SET work_city = 'Beijing', investigation_tier = 'T5' WHERE employee_id = 'BULK-0107'");
        var result = await VerifyAsync();
        Assert.Equal(["investigationTier", "workCity"], result.Listed.Select(d => d.Field!).Order());
        Assert.All(result.Listed, d => Assert.StartsWith("Person Bulk Person 107 (Acme Cloud Services)", d.Explanation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARowTheTrailSaysWasDeleted_ButIsStillThere_IsNamed()
    {
        var vendor = Ok(await SendAsync(Co1, new CreateVendor("Deleted Vendor LLC", "DV001", "DELETEDVEND1")));
        // A deletion recorded in the trail (the application's role can append events) that never happened to the row.
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditNotes>().AppendAsync(Actor.ServerOperator, "test.delete-vendor",
                AuditEventTypes.For(typeof(Core.Domain.Vendors.Vendor), AuditEventTypes.Change.Deleted).Code, "vendor", vendor.Id.ToString(),
                """{"name": {"before": "Deleted Vendor LLC", "after": null}}""");
        }
        var d = Assert.Single((await VerifyAsync()).Listed);
        Assert.Equal((StateDiscrepancyKind.DeletedInTrail, vendor.Id.ToString()), (d.Kind, d.RowId));
        Assert.Equal("Vendor Deleted Vendor LLC was deleted through the portal, yet it is in the table again: it was restored outside the portal.", d.Explanation);
    }

    [Fact]
    public async Task AnAuditorOfAnOffice_SeesOnlyTheRowsOfItsVendors_AndEveryInstallationRow()
    {
        var globexPerson = Guid.NewGuid();
        await AsOwnerAsync(
            $"UPDATE people SET work_city = 'Elsewhere' WHERE id = '{holder}'", // Acme
            CopyOf("people", holder, globexPerson, $$"""{"vendor_id": "{{DemoSeeder.GlobexId}}", "employee_id": "GX-INSIDER"}"""),
            $"UPDATE cloud_systems SET environment = 'Moved' WHERE id = '{Il2}'");
        var officeAuditor = Auditor with { OfficeId = Guid.NewGuid(), OfficeName = "Globex's office", OfficeVendorIds = [DemoSeeder.GlobexId] };

        var scoped = await VerifyAsync(officeAuditor);
        Assert.Equal(new[] { globexPerson.ToString(), Il2.ToString() }.Order(), scoped.Listed.Select(d => d.RowId).Order());
        Assert.Equal(3, (await VerifyAsync()).Discrepancies);
    }

    [Fact]
    public async Task OnlyAuditorsAndAdministrators_Verify_AndARunWritesNothingButItsOwnEvent()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var verifier = scope.ServiceProvider.GetRequiredService<StateVerifier>();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => verifier.VerifyAsync(AcmeRep));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => verifier.VerifyAsync(Co1));

        var before = await TableCountsAsync();
        var result = await VerifyAsync(Auditor);
        var after = await TableCountsAsync();
        Assert.Equal(before with { Events = before.Events + 1 }, after);
        var recorded = await SingleEventAsync(e => e.EventType == AuditEventTypes.StateVerified);
        Assert.Equal((AuditEventTypes.StateVerificationSubject, result.RunId.ToString(), Auditor.DisplayName, "verify-state"),
            (recorded.SubjectType, recorded.SubjectId, recorded.ActorName, recorded.Operation));
        Assert.Contains($"\"fingerprint\": {{\"after\": \"{result.Fingerprint}\"", recorded.Changes, StringComparison.Ordinal);
        Assert.True((await VerifyChainAsync()).Valid);
        // The verification's own event explains itself: the next run is clean too.
        Assert.True((await VerifyAsync(Actor.ServerOperator)).Clean);
    }

    private async Task<(long Events, string Rows)> TableCountsAsync()
    {
        var counts = await TestDatabase.QueryAsync(Database.OwnerConnectionString,
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname <> 'audit_events' ORDER BY relname");
        await using var db = await ContextAsync();
        var all = new List<string>();
        foreach (var table in counts.Select(c => (string)c[0]!))
        {
            all.Add($"{table}={await TestDatabase.ScalarAsync(Database.OwnerConnectionString, $"SELECT count(*) FROM \"{table}\"")}");
        }
        return (await db.AuditEvents.LongCountAsync(), string.Join(",", all));
    }

    [Fact]
    public async Task OneVerificationRunsAtATime()
    {
        // Another instance's verification holds the lock in its transaction.
        await using (await Database.HoldAdvisoryLockAsync(StateVerifier.LockKey))
        {
            await Assert.ThrowsAsync<StateVerificationBusyException>(() => VerifyAsync());
        }
        Assert.True((await VerifyAsync()).Clean);
    }
}
