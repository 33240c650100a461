using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests;

/// <summary>A portal with the demo data on a fake clock, and helpers to send commands through the production executor.</summary>
public abstract class CommandPortalTest(string prefix) : ClockedPortalTest(prefix)
{
    protected static readonly Guid Il2 = Guid.Parse("0199a000-0000-7000-8000-000000005201");
    protected static readonly Guid Il5 = Guid.Parse("0199a000-0000-7000-8000-000000005501");
    protected static readonly Actor Co1 = new(Guid.NewGuid(), "Casey Officer", Roles.ContractingOfficer, null, null);
    protected static readonly Actor Co2 = new(Guid.NewGuid(), "Morgan Officer", Roles.ContractingOfficer, null, null);
    protected static readonly Actor AcmeRep = new(Guid.NewGuid(), "Riley Acme", Roles.VendorRepresentative, DemoSeeder.AcmeId, "Acme Cloud Services");
    protected static readonly Actor GlobexRep = new(Guid.NewGuid(), "Taylor Globex", Roles.VendorRepresentative, DemoSeeder.GlobexId, "Globex Federal");
    protected static readonly Actor Auditor = new(Guid.NewGuid(), "Jordan Auditor", Roles.Auditor, null, null);

    protected DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    protected override async Task ArrangeAsync()
    {
        await Portal.SeedDemoAsync();
        await ArrangePeopleAsync();
    }

    /// <summary>Adds the people the class's tests work with.</summary>
    protected abstract Task ArrangePeopleAsync();

    /// <summary>
    /// Sends a command through the executor. A command that starts a re-evaluation run (a policy activation, the scheduler's
    /// run) is followed, as the portal's page, API and worker follow it, by its batches until the run finishes (ADR 0029); the
    /// result then carries the run as it ended and the consequences of every batch. Tests of the batches themselves send
    /// <see cref="ApplyReevaluationBatch"/> through <see cref="SendOnlyAsync"/>.
    /// </summary>
    protected async Task<Outcome<T>> SendAsync<T>(Actor actor, ICommand<T> command)
    {
        var outcome = await SendOnlyAsync(actor, command);
        if (!outcome.IsOk)
        {
            return outcome;
        }
        var runner = Portal.Services.GetRequiredService<ReevaluationRunner>();
        object? followed = outcome.Value switch
        {
            PolicyActivationResult { Run: { Finished: false } run } activation when await runner.DriveAsync(run.Id) is { } done =>
                activation with { Run = done.Run, Consequences = done.Consequences },
            ReevaluationResult { Run: { Finished: false } run } reevaluation when await runner.DriveAsync(run.Id) is { } done =>
                reevaluation with { Run = done.Run, Consequences = done.Consequences },
            _ => null,
        };
        return followed is T value ? Outcome<T>.Ok(value) : outcome;
    }

    /// <summary>Sends a command through the executor and nothing more.</summary>
    protected async Task<Outcome<T>> SendOnlyAsync<T>(Actor actor, ICommand<T> command)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(actor, command);
    }

    /// <summary>Asks a (scoped) query service, as a page or endpoint would, in a scope of its own.</summary>
    protected async Task<TResult> AskAsync<TQuery, TResult>(Func<TQuery, Task<TResult>> ask) where TQuery : notnull
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await ask(scope.ServiceProvider.GetRequiredService<TQuery>());
    }

    protected async Task<ComplianceDbContext> ContextAsync() =>
        await Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();

    /// <summary>An Acme employee (or <paramref name="vendorId"/>'s), vetted (T5 unless said otherwise), attested three days ago, working in the US; facts effective a year ago.</summary>
    protected async Task<Guid> AddPersonAsync(string citizenships, string birth = "", string work = "US",
        EscortQualification qualification = EscortQualification.None, InvestigationTier tier = InvestigationTier.T5, string email = "test@acme.example",
        string name = "Test Person", bool lpr = false, Guid? vendorId = null)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.add-person");
        var list = citizenships.Split(',');
        var person = new Person(Guid.NewGuid(), vendorId ?? DemoSeeder.AcmeId, $"T-{Guid.NewGuid():N}"[..12], name, email,
                EmployerType.VendorEmployee, list, birth.Length > 0 ? birth : list[0], lpr, work, "Reston")
            .WithVetting(tier, Today.AddYears(-1), true, Clearance.Secret, Today.AddMonths(-6))
            .WithEscortQualification(qualification, Today.AddMonths(-2))
            .WithAttestation(Today.AddDays(-3));
        db.People.Add(person);
        db.FactsEffectiveOn = Today.AddYears(-1); // on the roster, with these facts, for a year
        await db.SaveChangesAsync();
        return person.Id;
    }

    /// <summary>The demo's two officer accounts (co1, co2) as actors, for tests that read whose name a record carries.</summary>
    protected async Task<(Actor Casey, Actor Morgan)> DemoOfficersAsync()
    {
        await using var db = await ContextAsync();
        var ids = await db.Users.Where(u => u.Email == "co1@demo.local" || u.Email == "co2@demo.local").ToDictionaryAsync(u => u.Email!, u => u.Id);
        return (new Actor(ids["co1@demo.local"], "Casey Officer", Roles.ContractingOfficer, null, null),
            new Actor(ids["co2@demo.local"], "Morgan Officer", Roles.ContractingOfficer, null, null));
    }

    protected async Task<AuditEvent> SingleEventAsync(System.Linq.Expressions.Expression<Func<AuditEvent, bool>> filter)
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.AsNoTracking().SingleAsync(filter);
    }

    protected async Task<ChainVerification> VerifyChainAsync()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Actor.ServerOperator);
    }
}
