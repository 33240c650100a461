using System.Reflection;
using System.Runtime.CompilerServices;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// Read-only for real: every command the portal has — found by reflection, so a new one is covered the day it is
/// written — is refused to an auditor by the one executor every page, endpoint, import and job goes through, before
/// its input is even looked at, and leaves nothing behind (no row, no audit event).
/// </summary>
public sealed class AuditorWritesNothingTests() : CommandPortalTest("auditorro")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static readonly MethodInfo Send = typeof(AuditorWritesNothingTests).GetMethod(nameof(SendAsAuditorAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public static IEnumerable<Type> Commands() => typeof(CommandExecutor).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && CommandResult(t) is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static Type? CommandResult(Type type) => type.GetInterfaces()
        .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>))?.GetGenericArguments()[0];

    [Fact]
    public async Task EveryCommand_IsRefusedToAnAuditor_AndWritesNothing()
    {
        var commands = Commands().Where(t => !AuditorWork.Commands.Contains(t) && !OwnPreferences.Commands.Contains(t)).ToList();
        Assert.True(commands.Count >= 30, $"Only {commands.Count} commands were found; the reflection scan is broken.");
        var before = await CountsAsync();
        var wrong = new List<string>();
        foreach (var type in commands)
        {
            // An empty instance: the role is checked before validation, so its (missing) input is never read.
            var command = RuntimeHelpers.GetUninitializedObject(type);
            var kind = await (Task<OutcomeKind>)Send.MakeGenericMethod(CommandResult(type)!).Invoke(this, [command])!;
            if (kind != OutcomeKind.Forbidden)
            {
                wrong.Add($"{type.Name}: {kind}");
            }
        }
        Assert.True(wrong.Count == 0, "Commands an auditor was not refused:\n" + string.Join("\n", wrong));
        Assert.Equal(before, await CountsAsync());
    }

    /// <summary>
    /// The two exceptions: an auditor's own review work on code contributions — a verdict, and importing the contributions to
    /// review (API.md: an outside audit brings the repository's history); the audit of escorted code is the auditors' work
    /// product and changes no roster, access or policy data — and their own saved grid views (a personal preference, ADR 0034).
    /// Any other command declaring the role fails.
    /// </summary>
    [Fact]
    public void OnlyTheAuditorsOwnReviewWork_AndOwnPreferences_DeclareTheAuditorRole()
    {
        var declaring = Commands().Where(t => t.GetCustomAttribute<AllowedRolesAttribute>()?.Roles.Contains(Core.Authorization.Roles.Auditor) == true)
            .Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        // One verdict, or the same verdict on many (the review queue's bulk action, issue 21); an import (issue 22); the four saved-view commands.
        Assert.Equal(AuditorWork.Commands.Concat(OwnPreferences.Commands).Select(t => t.Name).Order(StringComparer.Ordinal), declaring);
        Assert.Equal(["DeleteView", "ImportContributions", "RenameView", "ReviewContribution", "ReviewContributions", "SaveView", "SetDefaultView"], declaring);
        Assert.Equal(new HashSet<Type> { typeof(ReviewContribution), typeof(ReviewContributions), typeof(ImportContributions) }, AuditorWork.Commands.ToHashSet());
        Assert.All(Commands(), t => Assert.NotNull(t.GetCustomAttribute<AllowedRolesAttribute>()));
    }

    private async Task<OutcomeKind> SendAsAuditorAsync<T>(ICommand<T> command) => (await SendAsync(Auditor, command)).Kind;

    private async Task<(long Events, long People, long Grants, long Findings)> CountsAsync()
    {
        await using var db = await ContextAsync();
        return (await db.AuditEvents.LongCountAsync(), await db.People.LongCountAsync(), await db.Grants.LongCountAsync(), await db.Findings.LongCountAsync());
    }
}
