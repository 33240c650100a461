using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// One decision on a grant as a page offers it: offered, or not and why (the disabled button's explanation).
/// <see cref="Shown"/>: offered, or one a reader would look for on a grant in this status (Suspend on a grant waiting for
/// approval, Reactivate on a suspended grant the rules still refuse), shown disabled with <see cref="WhyNot"/>.
/// </summary>
public sealed record GrantAction(GrantDecision Decision, bool Offered, string? WhyNot, bool Shown = false);

/// <summary>
/// Which officer decisions can succeed on a grant, in one place for <see cref="DecideGrantHandler"/> and every page that
/// offers them (issue 21: offer only what can succeed, and say why the rest is not offered). Suspend needs an active grant
/// (a grant waiting for approval gives no access: it is rejected in the approvals queue, or revoked); reactivation needs a
/// suspended grant that no blocking rule fails today, since the rules run again and would refuse it; revocation needs a
/// grant that has not ended.
/// </summary>
public static class GrantActions
{
    /// <summary>Whether the grant's status allows <paramref name="decision"/> (what the handler enforces).</summary>
    public static bool Allows(GrantDecision decision, GrantStatus status) => decision switch
    {
        GrantDecision.Suspend => status == GrantStatus.Active,
        GrantDecision.Reactivate => status == GrantStatus.Suspended,
        _ => status is not (GrantStatus.Revoked or GrantStatus.Expired),
    };

    /// <summary>
    /// The decisions on a grant in <paramref name="status"/> whose rules today are <paramref name="failingToday"/> (null when
    /// the grant was not evaluated), each offered or explained.
    /// </summary>
    public static IReadOnlyList<GrantAction> For(GrantStatus status, IReadOnlyList<RuleOutcome>? failingToday) =>
    [
        new(GrantDecision.Suspend, Allows(GrantDecision.Suspend, status), status switch
        {
            GrantStatus.Active => null,
            GrantStatus.PendingApproval => "The grant is waiting for approval and gives no access yet: reject it in the approvals queue, or revoke it.",
            GrantStatus.Suspended => "The grant is already suspended.",
            _ => "The grant has ended.",
        }, status is GrantStatus.Active or GrantStatus.PendingApproval),
        Reactivate(status, failingToday),
        new(GrantDecision.Revoke, Allows(GrantDecision.Revoke, status), Allows(GrantDecision.Revoke, status) ? null : "The grant has ended.",
            Allows(GrantDecision.Revoke, status)),
    ];

    /// <summary>What a refused decision says, for the handler's conflict.</summary>
    public static string Refusal(GrantDecision decision, GrantStatus status) =>
        For(status, null).Single(a => a.Decision == decision).WhyNot ?? $"The grant cannot be {Past(decision)}.";

    private static GrantAction Reactivate(GrantStatus status, IReadOnlyList<RuleOutcome>? failingToday)
    {
        if (status != GrantStatus.Suspended)
        {
            return new(GrantDecision.Reactivate, false, status is GrantStatus.Revoked or GrantStatus.Expired
                ? "The grant has ended; request a new one."
                : "Only a suspended grant can be reactivated.");
        }
        var blocking = failingToday?.Where(o => o.Severity == Severity.Block).ToList() ?? [];
        return blocking.Count == 0
            ? new(GrantDecision.Reactivate, true, null, true)
            : new(GrantDecision.Reactivate, false,
                $"The rules would refuse it today ({string.Join("; ", blocking.Select(o => $"{o.RuleId}: {RuleCatalogue.Find(o.RuleId)?.Title ?? o.Message}"))}). Correct the facts, or have the finding waived, first.", true);
    }

    private static string Past(GrantDecision d) => d switch { GrantDecision.Suspend => "suspended", GrantDecision.Revoke => "revoked", _ => "reactivated" };
}
