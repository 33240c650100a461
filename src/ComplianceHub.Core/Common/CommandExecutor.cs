using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common.Idempotency;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Common;

/// <summary>
/// The one way to change data (DESIGN.md section 4): authorize the role → validate the input → run the handler in a
/// transaction → save through the DbContext gate (rules evaluated, audit appended) → commit. A refusal by the policy
/// rolls everything back and is itself audited. Pages, API endpoints, imports and jobs all send commands here.
/// </summary>
public sealed class CommandExecutor(IServiceProvider services, IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock, AuditNotes notes)
{
    private static readonly ConcurrentDictionary<Type, object> Dispatchers = new();

    public async Task<Outcome<TResult>> SendAsync<TResult>(Actor actor, ICommand<TResult> command, CancellationToken ct = default)
    {
        var commandType = command.GetType();
        var dispatcher = (Dispatcher<TResult>)Dispatchers.GetOrAdd(commandType, t => t.GetCustomAttribute<AllowedRolesAttribute>() is null
            ? throw new InvalidOperationException($"{t.Name} declares no [AllowedRoles]; commands fail closed.")
            : Activator.CreateInstance(typeof(Dispatcher<,>).MakeGenericType(t, typeof(TResult)))!);
        // One span per command, a child per gate step (ComplianceGate); the command's name, outcome and refusing rules only (ADR 0043).
        var started = Stopwatch.GetTimestamp();
        using var activity = Telemetry.Source.StartActivity(dispatcher.SpanName, ActivityKind.Internal);
        activity?.SetTag(Telemetry.CommandAttribute, dispatcher.Operation);
        try
        {
            var outcome = await SendAsync(dispatcher, actor, command, ct);
            Record(activity, dispatcher.Operation, command is ICanDryRun { DryRun: true }, outcome.Kind, started,
                outcome.Kind == OutcomeKind.Refused ? (outcome.Violations ?? []).Concat(outcome.RefusedItems.SelectMany(i => i.Violations)) : null);
            return outcome;
        }
        catch (Exception ex)
        {
            Record(activity, dispatcher.Operation, command is ICanDryRun { DryRun: true }, null, started, null);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name); // the type only: a message may quote data
            throw;
        }
    }

    /// <summary>The command's span attributes and metrics: duration per command and outcome, committed and refused counts.</summary>
    private static void Record(Activity? activity, string operation, bool dryRun, OutcomeKind? kind, long started, IEnumerable<Rules.RuleOutcome>? refusedBy)
    {
        var outcome = kind is { } k ? Telemetry.Describe(k) : "error";
        if (activity is not null)
        {
            activity.SetTag(Telemetry.OutcomeAttribute, outcome);
            if (dryRun)
            {
                activity.SetTag(Telemetry.DryRunAttribute, true);
            }
            if (refusedBy is not null)
            {
                activity.SetTag(Telemetry.RuleIdsAttribute, Telemetry.RuleIds(refusedBy));
            }
        }
        var tags = new TagList { { Telemetry.CommandAttribute, operation }, { Telemetry.OutcomeAttribute, outcome } };
        if (Telemetry.GateDuration.Enabled)
        {
            Telemetry.GateDuration.Record(Telemetry.Since(started), tags);
        }
        if (!dryRun && kind is OutcomeKind.Ok)
        {
            Telemetry.CommandsCommitted.Add(1, new KeyValuePair<string, object?>(Telemetry.CommandAttribute, operation));
        }
        else if (!dryRun && kind is OutcomeKind.Refused)
        {
            Telemetry.CommandsRefused.Add(1, new KeyValuePair<string, object?>(Telemetry.CommandAttribute, operation));
        }
    }

    private async Task<Outcome<TResult>> SendAsync<TResult>(Dispatcher<TResult> dispatcher, Actor actor, ICommand<TResult> command, CancellationToken ct)
    {
        if (!dispatcher.AllowedRoles.Contains(actor.Role))
        {
            return Outcome<TResult>.Forbidden($"The {Roles.DisplayName(actor.Role)} role may not {dispatcher.Operation}.");
        }
        if (actor.TokenOperations is { } allowed && !allowed.Contains(dispatcher.Operation, StringComparer.Ordinal))
        {
            return Outcome<TResult>.Forbidden($"This access token may not {dispatcher.Operation}; it may only " +
                (allowed.Count == 0 ? "read." : $"read and {string.Join(", ", allowed)}. Ask an administrator for a token that names the operation."));
        }

        var invalid = await dispatcher.ValidateAsync(services, command, ct);
        if (invalid is not null)
        {
            return Outcome<TResult>.Invalid(invalid);
        }

        using var audit = AuditScope.Begin(actor, dispatcher.Operation);
        // A change decided under a policy version that an activation replaced before it reached the audit trail wrote
        // nothing (Gate.ActivePolicyCache): it runs again, from the handler on, under the version now in force.
        // A change whose transaction never committed because the database was lost (a restart, a failover) runs again, from
        // the handler on, for up to DatabaseFaults.RetryBudget; then the caller is told nothing was changed (ADR 0042).
        DateTimeOffset? faultDeadline = null;
        var faults = 0;
        for (var attempt = 1; ; attempt++)
        {
            Outcome<TResult>? outcome;
            try
            {
                outcome = await AttemptAsync(dispatcher, actor, command, ct);
            }
            catch (NotCommittedException fault)
            {
                faultDeadline ??= DatabaseFaults.Waiting.GetUtcNow() + DatabaseFaults.RetryBudget;
                if (DatabaseFaults.Waiting.GetUtcNow() >= faultDeadline)
                {
                    throw new DatabaseUnavailableException(outcomeUnknown: false, fault.InnerException);
                }
                await Task.Delay(DatabaseFaults.Backoff(++faults), DatabaseFaults.Waiting, ct);
                attempt--; // not a policy version's retry
                continue;
            }
            if (outcome is not null)
            {
                return outcome;
            }
            if (attempt == MaxAttempts)
            {
                return Outcome<TResult>.Conflict(new PolicyChangedException().Message);
            }
        }
    }

    /// <summary>The attempt lost its connection before its transaction committed: nothing of it was applied, it may run again.</summary>
    private sealed class NotCommittedException(Exception cause) : Exception(cause.Message, cause);

    /// <summary>How often a change is tried when policy versions keep being activated under it (in practice: twice at most).</summary>
    private const int MaxAttempts = 3;

    /// <summary>One attempt: the outcome, or null when the policy the change was evaluated under was replaced meanwhile.</summary>
    private async Task<Outcome<TResult>?> AttemptAsync<TResult>(Dispatcher<TResult> dispatcher, Actor actor, ICommand<TResult> command, CancellationToken ct)
    {
        var dryRun = command is ICanDryRun { DryRun: true };
        await using var db = await contexts.CreateDbContextAsync(ct);
        var context = new CommandContext(actor, db, clock.GetUtcNow());
        Outcome<TResult>? committing = null;
        IdempotencyScope? idempotency = null;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // A dry run is rolled back: it runs the gate's steps but skips the audit append, so it never takes the chain lock.
            db.PreviewOnly = dryRun;
            var outcome = await dispatcher.HandleAsync(services, command, context, ct);
            if (!outcome.IsOk)
            {
                return outcome; // the transaction rolls back on dispose: nothing is written
            }
            await db.SaveChangesAsync(ct);
            if (dryRun)
            {
                var preview = outcome.Resolve(); // built from what the save did, before it is undone
                await transaction.RollbackAsync(ct);
                return preview;
            }
            // A request sent with an Idempotency-Key marks its key applied in this transaction (ADR 0041): the change and the mark
            // commit together or not at all, so a retry never applies the change again, even when the response is lost.
            idempotency = IdempotencyScope.Current is { } scope && scope.CallerId == actor.UserId ? scope : null;
            if (idempotency is not null)
            {
                await services.GetRequiredService<IdempotencyStore>().MarkAppliedAsync(db, idempotency, ct);
            }
            committing = outcome;
            await transaction.CommitAsync(ct);
            idempotency?.CommitSucceeded();
            return outcome.Resolve();
        }
        catch (Exception e) when (DatabaseFaults.IsConnectionFailure(e) && e is not DatabaseUnavailableException)
        {
            DatabaseFaults.ClearPool(db.Database.GetDbConnection());
            // PostgreSQL commits nothing of a transaction whose connection ends before its COMMIT.
            if (committing is null)
            {
                throw new NotCommittedException(e);
            }
            var saved = await AfterLostCommitAsync(db, committing, e, ct);
            idempotency?.CommitSucceeded(); // read back as committed: the key's mark committed with it
            return saved;
        }
        catch (IdempotencyClaimLostException lost)
        {
            return Outcome<TResult>.Conflict(lost.Message);
        }
        catch (PolicyChangedException)
        {
            return null;
        }
        catch (ComplianceRefusalException refusal)
        {
            // A dry run is a question, not a decision: its refusal is shown to the asker and leaves no trace.
            if (dryRun)
            {
                return Refused<TResult>(command, refusal, context);
            }
            // A refusal is decided before the change's append: it stands only if the version it was decided under is still the
            // active one when it is recorded — checked under the chain lock, as the change would have been.
            try
            {
                await AuditRefusalAsync(actor, refusal, db.EvaluatedUnder, ct);
            }
            catch (PolicyChangedException)
            {
                return null;
            }
            return Refused<TResult>(command, refusal, context);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<TResult>.Conflict("Someone else changed this record since you read it; reload and try again.");
        }
    }

    /// <summary>
    /// The connection was lost during the COMMIT, so the change may or may not have been applied (a lost acknowledgement is
    /// not a failure to apply): never run again blindly. Its last audit event is looked for once the database answers again —
    /// there, the change was saved; absent, it was not and runs again; unreadable in time, the caller is told the outcome is
    /// unknown. A commit that appended no event (no audited change) is unknown too.
    /// </summary>
    private static async Task<Outcome<TResult>> AfterLostCommitAsync<TResult>(ComplianceDbContext db, Outcome<TResult> outcome, Exception lost, CancellationToken ct)
    {
        if (db.LastAppended is not { } last || db.Database.GetConnectionString() is not { } connectionString)
        {
            throw new DatabaseUnavailableException(outcomeUnknown: true, lost);
        }
        return await DatabaseFaults.CommittedAsync(connectionString, last.Sequence, last.Hash, ct) switch
        {
            true => outcome.Resolve(),
            false => throw new NotCommittedException(lost),
            null => throw new DatabaseUnavailableException(outcomeUnknown: true, lost),
        };
    }

    /// <summary>
    /// The refused change left nothing behind; the refusal itself is recorded in a transaction of its own, one event per refused
    /// subject (a bulk change refused for three grants leaves three), as a single-item refusal always has.
    /// </summary>
    private async Task AuditRefusalAsync(Actor actor, ComplianceRefusalException refusal, PolicyStamp? evaluatedUnder, CancellationToken ct) =>
        await notes.AppendAsync(actor, "access-decision-refused", refusal.Refused.Select(r => new AuditRecorder.AuditDraft(
                AuditEventTypes.AccessDecisionRefused, r.SubjectType, r.SubjectId.ToString(), AuditRecorder.RequestJson(r.Request), AuditRecorder.OutcomesJson(r.Violations)))
            .ToList(), evaluatedUnder, ct);

    /// <summary>A refusal's outcome; a bulk command's lists each refused item by the name its handler gave it.</summary>
    private static Outcome<TResult> Refused<TResult>(ICommand<TResult> command, ComplianceRefusalException refusal, CommandContext context)
    {
        var outcome = Outcome<TResult>.Refused(refusal.Violations);
        return command is IBulkCommand
            ? outcome with
            {
                Message = $"{refusal.Refused.Count:N0} of the selected items are refused by the policy, so nothing was applied.",
                RefusedItems = refusal.Refused.Select(r => new RefusedItem(r.SubjectId,
                    context.Labels.GetValueOrDefault(r.SubjectId) ?? r.SubjectType, null, r.Violations)).ToList(),
            }
            : outcome;
    }

    /// <summary><c>RequestGrant</c> → <c>request-grant</c>, the operation name in the audit trail.</summary>
    internal static string Describe(Type commandType) =>
        string.Concat(commandType.Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>What is known of a command type once: its roles, its operation name, how to validate and handle it.</summary>
    private abstract class Dispatcher<TResult>
    {
        protected Dispatcher(Type commandType)
        {
            AllowedRoles = commandType.GetCustomAttribute<AllowedRolesAttribute>()!.Roles; // checked before it is made
            Operation = Describe(commandType);
            SpanName = "command " + Operation;
        }

        /// <summary>The command's span name (<c>command request-grant</c>).</summary>
        public string SpanName { get; }

        public IReadOnlyCollection<string> AllowedRoles { get; }

        /// <summary>The operation name in the audit trail (<see cref="Describe"/>).</summary>
        public string Operation { get; }

        public abstract Task<IReadOnlyDictionary<string, string[]>?> ValidateAsync(IServiceProvider services, ICommand<TResult> command, CancellationToken ct);
        public abstract Task<Outcome<TResult>> HandleAsync(IServiceProvider services, ICommand<TResult> command, CommandContext context, CancellationToken ct);
    }

    private sealed class Dispatcher<TCommand, TResult>() : Dispatcher<TResult>(typeof(TCommand)) where TCommand : ICommand<TResult>
    {
        public override async Task<IReadOnlyDictionary<string, string[]>?> ValidateAsync(IServiceProvider services, ICommand<TResult> command, CancellationToken ct)
        {
            var validator = services.GetService<IValidator<TCommand>>();
            if (validator is null)
            {
                return null;
            }
            var result = await validator.ValidateAsync((TCommand)command, ct);
            return result.IsValid ? null : result.ToDictionary().AsReadOnly();
        }

        public override Task<Outcome<TResult>> HandleAsync(IServiceProvider services, ICommand<TResult> command, CommandContext context, CancellationToken ct) =>
            services.GetRequiredService<ICommandHandler<TCommand, TResult>>().HandleAsync((TCommand)command, context, ct);
    }
}
