using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Common;

/// <summary>
/// A command over an explicit, bounded list of items (a queue's bulk action): all of them are applied in one transaction, or
/// none. When any is refused — by a rule at the gate or by the handler (not pending any more, two-person rule, not found) —
/// nothing is written and the outcome lists every refused item (<see cref="Outcome{T}.RefusedItems"/>).
/// </summary>
public interface IBulkCommand
{
    IReadOnlyList<Guid> Ids { get; }
}

/// <summary>What a bulk command applied: how many items, and which.</summary>
public sealed record BulkResult(int Applied, IReadOnlyList<Guid> Ids);

/// <summary>
/// One refused item of a bulk command: its id, what the reader calls it (a person and a system, a finding…), and why — a
/// sentence from the handler (<see cref="Reason"/>) or the failing rules (<see cref="Violations"/>, each with its citation).
/// </summary>
public sealed record RefusedItem(Guid Id, string Label, string? Reason, IReadOnlyList<RuleOutcome> Violations);

/// <summary>The ids a reader can act on with a bulk action ("select all N matching"): at most <see cref="Bulk.MaxItems"/>, and how many match.</summary>
public sealed record BulkSelection(IReadOnlyList<Guid> Ids, int Matching)
{
    /// <summary>Whether more items match than one bulk action may carry.</summary>
    public bool Capped => Matching > Ids.Count;
}

/// <summary>The bounds and checks every bulk command shares.</summary>
public static class Bulk
{
    /// <summary>The most items one bulk command carries (a day's queue; larger selections go in several).</summary>
    public const int MaxItems = 5000;

    /// <summary>1 to <see cref="MaxItems"/> distinct, non-empty ids.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<Guid>> ValidIds<T>(this IRuleBuilder<T, IReadOnlyList<Guid>> rule) =>
        rule.NotNull().WithMessage("Select at least one item.")
            .Must(ids => ids is { Count: > 0 }).WithMessage("Select at least one item.")
            .Must(ids => ids is null || ids.Count <= MaxItems).WithMessage($"Select at most {MaxItems:N0} items at once; apply the rest in another batch.")
            .Must(ids => ids is null || !ids.Contains(Guid.Empty)).WithMessage("An item is missing its id.")
            .Must(ids => ids is null || ids.Distinct().Count() == ids.Count).WithMessage("An item is selected twice.");

    /// <summary>
    /// The outcome of a bulk command with refused items: nothing is applied. Items not found (or another vendor's) make it a
    /// 404, any other refusal a 422; either way every refused item is listed.
    /// </summary>
    public static Outcome<BulkResult> Refused(IReadOnlyList<RefusedItem> items, bool anyNotFound)
    {
        var message = $"{items.Count:N0} of the selected items cannot be decided, so nothing was applied.";
        var outcome = anyNotFound
            ? Outcome<BulkResult>.NotFound(items.Count == 1 ? "One selected item" : $"{items.Count:N0} selected items")
            : new Outcome<BulkResult>(OutcomeKind.Refused, null, null, items.SelectMany(i => i.Violations).ToList(), message);
        return outcome with { RefusedItems = items };
    }

    /// <summary>
    /// "Select all N matching": the ids of a queue's filtered query (in its order, at most <see cref="MaxItems"/>) and how many
    /// match — two set queries, whatever the size of the queue.
    /// </summary>
    public static async Task<BulkSelection> SelectAsync(IQueryable<Guid> ordered, CancellationToken ct) =>
        new(await ordered.Take(MaxItems).ToListAsync(ct), await ordered.CountAsync(ct));

    /// <summary>The reason given to an item the reader cannot see (missing, or another vendor's): the same for both.</summary>
    public const string NotFound = "Not found: it may have been removed, or it is not yours to decide.";

    /// <summary>Runs the checks of a bulk command's items in order and collects every refusal; ids with no item are not found.</summary>
    public static List<RefusedItem> Check<TItem>(IReadOnlyList<Guid> ids, IReadOnlyDictionary<Guid, TItem> found, Func<TItem, string> label,
        Func<TItem, string?> refusal)
    {
        var refused = new List<RefusedItem>();
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var item))
            {
                refused.Add(new RefusedItem(id, "An item you cannot see", NotFound, []));
            }
            else if (refusal(item) is { } reason)
            {
                refused.Add(new RefusedItem(id, label(item), reason, []));
            }
        }
        return refused;
    }
}
