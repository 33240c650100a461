using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.E2ETests;

/// <summary>
/// Arranging a journey's data through the portal's real command pipeline, as the demo's accounts (never by writing around it),
/// and reading back what the journey did.
/// </summary>
public static class Arrange
{
    public static readonly Guid Il2 = Guid.Parse("0199a000-0000-7000-8000-000000005201");
    public static readonly Guid Il5 = Guid.Parse("0199a000-0000-7000-8000-000000005501");

    public static async Task<ComplianceDbContext> ContextAsync(this BrowserFixture browser) =>
        await browser.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();

    public static DateOnly Today(this BrowserFixture browser) =>
        DateOnly.FromDateTime(browser.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

    /// <summary>The demo account <paramref name="email"/> as the actor of a command.</summary>
    public static async Task<Actor> ActorAsync(this BrowserFixture browser, string email, string role, Guid? vendor = null)
    {
        await using var db = await browser.ContextAsync();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        return new Actor(user.Id, user.DisplayName, role, vendor, null);
    }

    /// <summary>Sends a command; its outcome, whatever it is.</summary>
    public static async Task<Outcome<T>> TrySendAsync<T>(this BrowserFixture browser, Actor actor, ICommand<T> command)
    {
        await using var scope = browser.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(actor, command);
    }

    /// <summary>Sends a command that must succeed: a refusal fails the test with what it said.</summary>
    public static async Task<Outcome<T>> SendAsync<T>(this BrowserFixture browser, Actor actor, ICommand<T> command)
    {
        var outcome = await browser.TrySendAsync(actor, command);
        Assert.True(outcome.IsOk, $"{command.GetType().Name}: {outcome.Kind} {outcome.Message}");
        return outcome;
    }

    /// <summary>
    /// Grants on the IL5 system requested by <paramref name="requester"/> (an officer) for people of the demo whom every rule allows
    /// there: they wait for another officer. Returns each grant with its person's name, in the order requested.
    /// </summary>
    public static async Task<List<(Guid Grant, string Person)>> RequestPendingAsync(this BrowserFixture browser, string requester, int count)
    {
        var officer = await browser.ActorAsync(requester, Roles.ContractingOfficer);
        List<(Guid Id, string Name)> candidates;
        await using (var db = await browser.ContextAsync())
        {
            candidates = (await db.People.Where(p => p.EmploymentStatus == EmploymentStatus.Active && p.InvestigationTier == InvestigationTier.T5
                    && !db.Grants.Any(g => g.PersonId == p.Id && g.SystemId == Il5))
                .OrderBy(p => p.FullName).Select(p => new { p.Id, p.FullName }).Take(40).ToListAsync()).Select(p => (p.Id, p.FullName)).ToList();
        }
        var today = browser.Today();
        var pending = new List<(Guid, string)>();
        foreach (var (person, name) in candidates)
        {
            var outcome = await browser.TrySendAsync(officer, new RequestGrant(person, Il5, AccessType.NonPrivileged, false, today, today.AddDays(30),
                "Approvals journey"));
            if (outcome is { IsOk: true, Value.Status: GrantStatus.PendingApproval })
            {
                pending.Add((outcome.Value.Id, name));
            }
            if (pending.Count == count)
            {
                return pending;
            }
        }
        throw new InvalidOperationException($"Only {pending.Count} of the demo's people can be requested on IL5.");
    }
}
