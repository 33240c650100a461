using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Common;

/// <summary>A change request sent through the <see cref="CommandExecutor"/>; <typeparamref name="TResult"/> is what it returns.</summary>
public interface ICommand<TResult>;

/// <summary>
/// A command that can be tried without being kept: with <see cref="DryRun"/> the executor runs it exactly as it would —
/// handler, gate, consequences, audit — and then rolls the transaction back, so the preview is what applying would do.
/// </summary>
public interface ICanDryRun
{
    bool DryRun { get; }
}

/// <summary>
/// The roles that may send a command. Every command must carry it: the executor refuses a command without one
/// (fail closed), and a test checks each command type.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AllowedRolesAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Handles one command type inside the executor's transaction. Writes only through <see cref="CommandContext.Db"/>.</summary>
public interface ICommandHandler<in TCommand, TResult> where TCommand : ICommand<TResult>
{
    Task<Outcome<TResult>> HandleAsync(TCommand command, CommandContext context, CancellationToken ct);
}

/// <summary>What a handler works with: the actor, the one DbContext of the operation, and the time.</summary>
public sealed record CommandContext(Actor Actor, ComplianceDbContext Db, DateTimeOffset Now)
{
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>
    /// What the reader calls the subjects a bulk handler read (a grant: its person and system), so that a refusal at the gate
    /// — thrown after the handler returned — names each refused item in words.
    /// </summary>
    public Dictionary<Guid, string> Labels { get; } = [];
}

/// <summary>How a command ended.</summary>
public enum OutcomeKind { Ok, Invalid, Refused, NotFound, Forbidden, Conflict }

/// <summary>
/// The result of a command, mapped one-to-one onto the API's status codes: 200/201, 400 (per-field errors),
/// 422 (rule violations), 404 (missing or outside the caller's vendor), 403 (role or two-person rule), 409 (stale version).
/// </summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, IReadOnlyDictionary<string, string[]>? Errors,
    IReadOnlyList<RuleOutcome>? Violations, string? Message)
{
    public bool IsOk => Kind == OutcomeKind.Ok;

    /// <summary>
    /// The rules that failed on the change's subject without stopping it (warnings, e.g. <c>IL2-INVESTIGATION</c>): the
    /// change went through (or, on a dry run, would), and each warning is in its audit event and opens a finding.
    /// </summary>
    public IReadOnlyList<RuleOutcome> Warnings { get; init; } = [];

    /// <summary>A bulk command's refused items (<see cref="IBulkCommand"/>), each with its reason or failing rules; nothing was applied.</summary>
    public IReadOnlyList<RefusedItem> RefusedItems { get; init; } = [];

    /// <summary>Builds the value after the save, for results that need what the save produced (consequences, versions).</summary>
    internal Func<T>? AfterSave { get; private init; }

    /// <summary>Reads the warnings after the save, when the gate has evaluated the change.</summary>
    internal Func<IReadOnlyList<RuleOutcome>>? WarningsAfterSave { get; private init; }

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, null, null, null);

    /// <summary>Success, with a value (and the warnings the gate reported) read once the change is saved.</summary>
    public static Outcome<T> OkAfterSave(Func<T> build, Func<IReadOnlyList<RuleOutcome>>? warnings = null) =>
        new(OutcomeKind.Ok, default, null, null, null) { AfterSave = build, WarningsAfterSave = warnings };

    internal Outcome<T> Resolve() => AfterSave is null && WarningsAfterSave is null
        ? this
        : this with
        {
            Value = AfterSave is null ? Value : AfterSave(),
            Warnings = WarningsAfterSave?.Invoke() ?? Warnings,
            AfterSave = null,
            WarningsAfterSave = null,
        };
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(OutcomeKind.Invalid, default, errors, null, "The input is not valid.");
    public static Outcome<T> Refused(IReadOnlyList<RuleOutcome> violations) =>
        new(OutcomeKind.Refused, default, null, violations, "Refused by the policy: " + string.Join(", ", violations.Select(v => v.RuleId)));
    public static Outcome<T> NotFound(string what) => new(OutcomeKind.NotFound, default, null, null, $"{what} was not found.");
    public static Outcome<T> Forbidden(string why) => new(OutcomeKind.Forbidden, default, null, null, why);
    public static Outcome<T> Conflict(string why) => new(OutcomeKind.Conflict, default, null, null, why);

    /// <summary>The same failure for another result type.</summary>
    public Outcome<TOther> As<TOther>() => new(Kind, default, Errors, Violations, Message) { RefusedItems = RefusedItems };
}

/// <summary>
/// Every command of the portal by its operation name (as the audit trail records it, e.g. <c>import-roster</c>) with the roles
/// that may send it: what a personal access token of scope <see cref="Authorization.ApiTokenScope.Operations"/> may name.
/// </summary>
public static class CommandCatalogue
{
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Operations { get; } =
        typeof(CommandCatalogue).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)))
            .Select(t => (Name: CommandExecutor.Describe(t), Roles: t.GetCustomAttributes(typeof(AllowedRolesAttribute), false).OfType<AllowedRolesAttribute>().FirstOrDefault()?.Roles))
            .Where(c => c.Roles is not null)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToDictionary(c => c.Name, c => (IReadOnlyCollection<string>)c.Roles!, StringComparer.Ordinal);
}
