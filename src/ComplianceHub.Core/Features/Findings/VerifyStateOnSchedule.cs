using System.Globalization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// The daily state verification (ADR 0031): compares the audited tables with the trail and, when rows are unexplained, opens an
/// integrity finding for the administrator naming them (kind <see cref="IntegrityFindingKinds.StateVerification"/>) — unless one
/// is still open: a run adds nothing then, whatever it found. Sent by the scheduler through the executor like any change, so the
/// finding is authorized, audited and committed in one transaction with the run's bookkeeping; the verification itself is
/// audited as event 8400, in the same correlation.
/// </summary>
/// <param name="UnlessRanWithin">Skip (Conflict) when a run completed this recently — on any instance.</param>
/// <remarks>
/// One instance at a time: the handler holds a transaction-scoped advisory lock, and the verifier its own (an auditor's run from
/// the page or API meanwhile is refused, and so is this run while an auditor's runs). The instances share one cadence through
/// <c>scheduled_runs</c>, as the re-evaluation does (ADR 0009).
/// </remarks>
[AllowedRoles(Roles.Administrator)]
public sealed record VerifyStateOnSchedule(TimeSpan? UnlessRanWithin = null) : ICommand<ScheduledStateVerification>;

/// <summary>What the daily run found, and the integrity finding it opened (<c>Opened</c>) or found open (none when clean).</summary>
public sealed record ScheduledStateVerification(StateVerification Verification, IntegrityFindingView? Finding);

internal sealed class VerifyStateOnScheduleHandler(StateVerifier verifier) : ICommandHandler<VerifyStateOnSchedule, ScheduledStateVerification>
{
    public const string RunName = "verify-state";
    private const long LockKey = 0x43485354415444; // "CHSTATD"

    /// <summary>How many discrepancies the finding's message names (all are counted in its facts; the page lists them).</summary>
    private const int Named = 8;

    public async Task<Outcome<ScheduledStateVerification>> HandleAsync(VerifyStateOnSchedule command, CommandContext context, CancellationToken ct)
    {
        var (run, skipped) = await ScheduledRun.ClaimAsync(context.Db, LockKey, RunName, "the state verification", command.UnlessRanWithin, context.Now, ct);
        if (run is null)
        {
            return Outcome<ScheduledStateVerification>.Conflict(skipped!);
        }
        StateVerification result;
        try
        {
            result = await verifier.VerifyAsync(context.Actor, ct);
        }
        catch (StateVerificationBusyException busy)
        {
            return Outcome<ScheduledStateVerification>.Conflict(busy.Message);
        }
        run.Completed(context.Now, Environment.MachineName);
        if (result.Clean)
        {
            return Outcome<ScheduledStateVerification>.Ok(new ScheduledStateVerification(result, null));
        }
        var finding = await RaiseIntegrityFindingHandler.RaiseAsync(context, IntegrityFindingKinds.StateVerification, Message(result), Facts(result), ct);
        return finding is null
            ? Outcome<ScheduledStateVerification>.Conflict("Another instance is opening an integrity finding now; the run is tried again at the next check.")
            : Outcome<ScheduledStateVerification>.Ok(new ScheduledStateVerification(result, finding));
    }

    /// <summary>"The tables hold 3 values or rows the audit trail does not explain (people: 2, grants: 1) … Person Jane Doe …"</summary>
    internal static string Message(StateVerification result)
    {
        var counts = string.Join(", ", result.Tables.Where(t => t.Discrepancies > 0).Select(t => $"{t.Name}: {t.Discrepancies:N0}"));
        var text = $"The tables hold {result.Discrepancies:N0} value{(result.Discrepancies == 1 ? "" : "s")} or row{(result.Discrepancies == 1 ? "" : "s")} " +
                   $"the audit trail does not explain ({counts}), found by the state verification of {result.VerifiedAt:yyyy-MM-dd HH:mm} UTC against " +
                   $"events 1 to {result.TrailHead:N0}: changed, added or deleted outside the portal. " +
                   string.Join(" ", result.Listed.Take(Named).Select(d => d.Explanation)) +
                   (result.Discrepancies > Named ? $" … and {result.Discrepancies - Named:N0} more." : "") +
                   " Verify the tables against the trail on the audit page for every row; find who changed them and how (the database's " +
                   "and the host's logs); restore each value through the portal, so the trail records it; change the credentials that were " +
                   "used; then close this finding with what you found. While it is open, later runs add nothing.";
        return text.Length <= 4000 ? text : text[..3999] + "…";
    }

    /// <summary>The counts per table and what the run read, as the finding's facts.</summary>
    private static Dictionary<string, string> Facts(StateVerification result)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["unexplained"] = result.Discrepancies.ToString(CultureInfo.InvariantCulture),
            ["verifiedAt"] = result.VerifiedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["trailHead"] = result.TrailHead.ToString(CultureInfo.InvariantCulture),
            ["fingerprint"] = result.Fingerprint,
            ["run"] = result.RunId.ToString(),
        };
        foreach (var table in result.Tables.Where(t => t.Discrepancies > 0))
        {
            facts[table.Table] = table.Discrepancies.ToString(CultureInfo.InvariantCulture);
        }
        return facts;
    }
}
