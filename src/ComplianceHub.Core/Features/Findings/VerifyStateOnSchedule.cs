using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using Microsoft.EntityFrameworkCore;
using Severity = ComplianceHub.Core.Rules.Severity;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// The daily state verification (ADR 0031): compares the audited tables with the trail and, when rows are unexplained, opens a
/// finding for the administrator naming them — unless a finding for the same discrepancies (same fingerprint) is still open.
/// Sent by the scheduler (<see cref="Actor.Scheduler"/>) through the executor like any change, so the finding is authorized,
/// audited and committed in one transaction with the run's bookkeeping; the verification itself is audited as event 8400.
/// </summary>
/// <param name="UnlessRanWithin">Skip (Conflict) when a run completed this recently — on any instance.</param>
/// <remarks>
/// One instance at a time: the handler holds a transaction-scoped advisory lock, and the verifier its own (an auditor's run from
/// the page or API waits for neither: a second verification is refused while one runs). The instances share one cadence through
/// <c>scheduled_runs</c>, as the re-evaluation does (ADR 0009).
/// </remarks>
[AllowedRoles(Roles.Administrator)]
public sealed record VerifyStateOnSchedule(TimeSpan? UnlessRanWithin = null) : ICommand<ScheduledStateVerification>;

/// <summary>What the daily run found, and the finding it opened or found already open for the same discrepancies (none when clean).</summary>
public sealed record ScheduledStateVerification(StateVerification Verification, FindingView? Opened, FindingView? AlreadyOpen);

internal sealed class VerifyStateOnScheduleHandler(StateVerifier verifier) : ICommandHandler<VerifyStateOnSchedule, ScheduledStateVerification>
{
    public const string RunName = "verify-state";
    private const long LockKey = 0x43485354415444; // "CHSTATD"

    /// <summary>How many discrepancies the finding's message names (all are counted in its facts; the page lists them).</summary>
    private const int Named = 5;

    private const string Citation = "NIST SP 800-53 Rev. 5 SI-7 (information integrity) and AU-9 (protection of audit information); " +
                                    "DESIGN.md section 4: the audit trail replayed must explain the state of every table it covers.";

    public async Task<Outcome<ScheduledStateVerification>> HandleAsync(VerifyStateOnSchedule command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var (run, skipped) = await ScheduledRun.ClaimAsync(db, LockKey, RunName, "the state verification", command.UnlessRanWithin, context.Now, ct);
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
            return Outcome<ScheduledStateVerification>.Ok(new ScheduledStateVerification(result, null, null));
        }

        // The same discrepancies (rows, fields and values) have the same fingerprint, and so the same subject: one open finding each.
        var subject = new Guid(Convert.FromHexString(result.Fingerprint.AsSpan(0, 32)));
        var open = await db.Findings.SingleOrDefaultAsync(f => f.RuleId == Finding.StateVerificationRule && f.SubjectType == Finding.InstallationSubject
            && f.SubjectId == subject && (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged), ct);
        if (open is not null)
        {
            return Outcome<ScheduledStateVerification>.Ok(new ScheduledStateVerification(result, null, FindingView.From(open)));
        }
        var (version, parameters) = await ComplianceGate.ActivePolicyAsync(db, ct);
        var finding = Finding.OpenForAdministrator(subject, Severity.Block, Message(result), Facts(result), Citation, version.Number, context.Now,
            context.Today.AddDays(parameters.FindingDueDays.For(Severity.Block)));
        db.Findings.Add(finding);
        return Outcome<ScheduledStateVerification>.Ok(new ScheduledStateVerification(result, FindingView.From(finding), null));
    }

    /// <summary>"The tables hold 3 values or rows the audit trail does not explain (people: 2, grants: 1). Person Jane Doe …"</summary>
    internal static string Message(StateVerification result)
    {
        var counts = string.Join(", ", result.Tables.Where(t => t.Discrepancies > 0).Select(t => $"{t.Name}: {t.Discrepancies:N0}"));
        var text = $"The tables hold {result.Discrepancies:N0} value{(result.Discrepancies == 1 ? "" : "s")} or row{(result.Discrepancies == 1 ? "" : "s")} " +
                   $"the audit trail does not explain ({counts}), found by the state verification of {result.VerifiedAt:yyyy-MM-dd HH:mm} UTC against " +
                   $"events 1 to {result.TrailHead:N0}. " + string.Join(" ", result.Listed.Take(Named).Select(d => d.Explanation)) +
                   (result.Discrepancies > Named ? $" … and {result.Discrepancies - Named:N0} more: verify the tables against the trail on the Audit trail page for all of them." : "");
        return text.Length <= 2000 ? text : text[..1999] + "…";
    }

    /// <summary>The counts per table and what the run read, as the finding's facts.</summary>
    private static string Facts(StateVerification result)
    {
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["unexplained"] = result.Discrepancies.ToString("N0", CultureInfo.InvariantCulture),
            ["verified at"] = result.VerifiedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC",
            ["audit events read"] = result.TrailHead.ToString("N0", CultureInfo.InvariantCulture),
            ["fingerprint"] = result.Fingerprint,
        };
        foreach (var table in result.Tables.Where(t => t.Discrepancies > 0))
        {
            facts[table.Name] = table.Discrepancies.ToString("N0", CultureInfo.InvariantCulture);
        }
        return JsonSerializer.Serialize(facts);
    }
}
