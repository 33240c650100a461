using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Grants;

/// <summary>Grant requests and approvals through the one command pipeline, against the demo systems.</summary>
public sealed class GrantCommandsTests() : CommandPortalTest("grants")
{
    private Guid usEngineer;
    private Guid dualNational;

    protected override async Task ArrangePeopleAsync()
    {
        usEngineer = await AddPersonAsync("US");
        dualNational = await AddPersonAsync("US,CN", birth: "CN");
    }

    [Fact]
    public async Task RequestGrant_IsActiveAtOnce_ForAUsPersonOnIl2_AndAuditedWithItsRuleOutcomes()
    {
        var outcome = await SendAsync(Co1, Request(usEngineer, Il2));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(GrantStatus.Active, outcome.Value!.Status);
        var audit = await SingleEventAsync(e => e.SubjectId == outcome.Value.Id.ToString());
        Assert.Equal(AuditEventTypes.For(typeof(AccessGrant), AuditEventTypes.Change.Created).Code, audit.EventType);
        Assert.Equal("request-grant", audit.Operation);
        Assert.Equal("Casey Officer", audit.ActorName);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(audit.RuleOutcomes).RootElement.ValueKind);
    }

    [Fact]
    public async Task RequestGrant_IsRefused_ForADualNationalOfACoveredNation_AndNothingIsWritten_ButTheRefusalIsAudited()
    {
        var outcome = await SendAsync(Co1, Request(dualNational, Il2));

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        var violation = Assert.Single(outcome.Violations!, v => v.RuleId == "CIT-COVERED");
        Assert.Equal(Severity.Block, violation.Severity);
        Assert.Equal("CN, US", violation.Facts["citizenships"]);
        Assert.Contains("10 U.S.C. 4872", violation.Citation, StringComparison.Ordinal);
        Assert.Equal(1, violation.PolicyVersion);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM access_grants WHERE person_id = '{dualNational}'"));

        var refusal = await SingleEventAsync(e => e.EventType == AuditEventTypes.AccessDecisionRefused);
        Assert.Contains("CIT-COVERED", refusal.RuleOutcomes, StringComparison.Ordinal);
        Assert.Equal("request-grant", refusal.Operation);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task Il5Grant_NeedsASecondOfficer_AndTheRequesterCannotApproveIt()
    {
        var requested = await SendAsync(Co1, Request(usEngineer, Il5, AccessType.Privileged));
        Assert.Equal(GrantStatus.PendingApproval, requested.Value!.Status);

        var self = await SendAsync(Co1, new ApproveGrant(requested.Value.Id));
        Assert.Equal(OutcomeKind.Forbidden, self.Kind);

        var approved = await SendAsync(Co2, new ApproveGrant(requested.Value.Id));
        Assert.True(approved.IsOk, approved.Message);
        Assert.Equal(GrantStatus.Active, approved.Value!.Status);
        Assert.Equal(Co2.UserId, approved.Value.ApprovedBy);

        var again = await SendAsync(Co2, new ApproveGrant(requested.Value.Id));
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
    }

    [Fact]
    public async Task Approval_RunsTheRulesAgain()
    {
        var requested = await SendAsync(Co1, Request(usEngineer, Il5));
        Assert.Equal(GrantStatus.PendingApproval, requested.Value!.Status);

        // Before approval the person's attestation runs out: nothing changed in the database, only time passed.
        Clock.Advance(TimeSpan.FromDays(200));

        var approved = await SendAsync(Co2, new ApproveGrant(requested.Value.Id));
        Assert.Equal(OutcomeKind.Refused, approved.Kind);
        Assert.Contains(approved.Violations!, v => v.RuleId == "ATTEST-FRESH");
        Assert.Equal("PendingApproval", await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT status FROM access_grants WHERE id = '{requested.Value.Id}'"));
    }

    [Fact]
    public async Task Representatives_RequestForTheirOwnStaffOnly_AndAlwaysNeedAnOfficer()
    {
        var own = await SendAsync(AcmeRep, Request(usEngineer, Il2));
        Assert.Equal(GrantStatus.PendingApproval, own.Value!.Status);

        var other = await SendAsync(GlobexRep, Request(usEngineer, Il2));
        Assert.Equal(OutcomeKind.NotFound, other.Kind);
        Assert.Contains("person", other.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnknownPersonOrSystem_IsNotFound_AndNothingIsWritten()
    {
        await using var db = await ContextAsync();
        var grants = await db.Grants.CountAsync();

        var noSystem = await SendAsync(Co1, Request(usEngineer, Guid.NewGuid()));
        Assert.Equal(OutcomeKind.NotFound, noSystem.Kind);
        Assert.Contains("system", noSystem.Message, StringComparison.OrdinalIgnoreCase);
        var noPerson = await SendAsync(Co1, Request(Guid.NewGuid(), Il2));
        Assert.Equal(OutcomeKind.NotFound, noPerson.Kind);
        Assert.Contains("person", noPerson.Message, StringComparison.OrdinalIgnoreCase);
        // Another vendor's person with an unknown system: the person is what is not found (the system is never revealed).
        var neither = await SendAsync(GlobexRep, Request(usEngineer, Guid.NewGuid()));
        Assert.Contains("person", neither.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(grants, await db.Grants.CountAsync());
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Administrator)]
    public async Task RolesThatMayNotRequest_AreForbidden(string role)
    {
        var outcome = await SendAsync(new Actor(Guid.NewGuid(), "x", role, null, null), Request(usEngineer, Il2));
        Assert.Equal(OutcomeKind.Forbidden, outcome.Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new ApproveGrant(Guid.NewGuid()))).Kind);
    }

    [Fact]
    public async Task InvalidInput_GetsPerFieldErrors_AndWritesNothing()
    {
        var before = await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events");
        var outcome = await SendAsync(Co1, Request(usEngineer, Il2) with { EndsOn = new DateOnly(2020, 1, 1) });
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("EndsOn", outcome.Errors!.Keys);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM access_grants"));
        Assert.Equal(before, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"));
    }

    [Fact]
    public async Task AWriteAroundThePipeline_StillMeetsTheGate()
    {
        // A grant added straight to a context, with an actor but without the executor: the gate in SaveChanges refuses it.
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Co1, "test.bypass");
        db.Grants.Add(AccessGrant.Request(Guid.NewGuid(), dualNational, Il2, AccessType.Data, false, new DateOnly(2026, 12, 1),
            new DateOnly(2027, 3, 1), "Bypass attempt", Co1.UserId, Clock.GetUtcNow(), false));
        var refusal = await Assert.ThrowsAsync<ComplianceRefusalException>(() => db.SaveChangesAsync());
        Assert.Contains(refusal.Violations, v => v.RuleId == "CIT-COVERED");
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM access_grants"));
    }

    [Fact]
    public void EveryCommand_DeclaresItsRoles() =>
        Assert.All(typeof(CommandExecutor).Assembly.GetTypes()
                .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>))),
            t => Assert.NotNull(t.GetCustomAttributes(typeof(AllowedRolesAttribute), false).SingleOrDefault()));

    private RequestGrant Request(Guid person, Guid system, AccessType access = AccessType.NonPrivileged) =>
        new(person, system, access, false, Today, Today.AddDays(90), "Patch management of the data lake");
}
