using System.Globalization;
using System.Net;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessLogs;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>A known egress range as the page and the API show it.</summary>
public sealed record KnownEgressRangeView(Guid Id, string Range, string Reason, string AddedBy, DateTimeOffset AddedAt);

/// <summary>
/// Marks an address range as a known egress (a VPN concentrator, a cloud provider's NAT, a corporate proxy) with the reason
/// (ADR 0047): the country of its addresses says where the network meets the internet, not where the person sits, so the
/// evidence rules pass over access from it. The people with access from the range are evaluated again.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record AddKnownEgressRange(string Range, string Reason) : ICommand<KnownEgressRangeView>;

/// <summary>
/// Removes a known egress range, saying why: access from it counts as evidence again, and its people are evaluated again.
/// The reason stands in the trail: the range's reason is first set to "Removed by … on …: why" (a change event, its earlier
/// reason as "before"), then the range is deleted (a delete event carrying that reason), both in the one transaction.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record RemoveKnownEgressRange(Guid Id, string Reason) : ICommand<KnownEgressRangeView>;

/// <summary>What the two commands share: the reason's rule, and the people whose evidence a range covers.</summary>
internal static class KnownEgressRangeRules
{
    public const int MinReason = 5;
    public const int MaxReason = 700;

    public static void Reason<T>(IRuleBuilderInitial<T, string> rule, string missing) =>
        rule.Must(r => (r?.Trim().Length ?? 0) >= MinReason).WithMessage(missing)
            .Must(r => r is null || r.Trim().Length <= MaxReason).WithMessage($"Keep the reason under {MaxReason} characters.");

    public static KnownEgressRangeView View(KnownEgressRange r) => new(r.Id, r.Range.ToString(), r.Reason, r.AddedByName, r.AddedAt);

    /// <summary>The people with access events from an address in <paramref name="range"/> (set-wise, one query, GiST-able).</summary>
    public static async Task<List<Guid>> PeopleWithAccessFromAsync(ComplianceDbContext db, IPNetwork range, CancellationToken ct) =>
        await db.Database.SqlQuery<Guid>($"SELECT DISTINCT person_id AS \"Value\" FROM access_events WHERE address <<= {range} AND person_id IS NOT NULL")
            .ToListAsync(ct);
}

public sealed class AddKnownEgressRangeValidator : AbstractValidator<AddKnownEgressRange>
{
    public AddKnownEgressRangeValidator()
    {
        RuleFor(c => c.Range).Custom((text, context) =>
        {
            if (EgressRanges.Parse(text, out var error) is null)
            {
                context.AddFailure(error!);
            }
        });
        KnownEgressRangeRules.Reason(RuleFor(c => c.Reason),
            $"Say why access from this range does not show where the person sits (at least {KnownEgressRangeRules.MinReason} characters), e.g. \"Acme's corporate VPN, Ashburn\".");
    }
}

internal sealed class AddKnownEgressRangeHandler : ICommandHandler<AddKnownEgressRange, KnownEgressRangeView>
{
    public async Task<Outcome<KnownEgressRangeView>> HandleAsync(AddKnownEgressRange command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var range = EgressRanges.Parse(command.Range, out _)!.Value;
        // An identical, wider or narrower range already marked: one range per block of addresses (the GiST index answers &&).
        var overlapping = await db.KnownEgressRanges.FromSql($"SELECT k.*, k.xmin FROM known_egress_ranges k WHERE range && {range} ORDER BY range LIMIT 1")
            .AsNoTracking().SingleOrDefaultAsync(ct);
        if (overlapping is not null)
        {
            var how = overlapping.Range.Equals(range) ? "is already a known egress" : "overlaps the known egress " + overlapping.Range;
            return Outcome<KnownEgressRangeView>.Invalid(new Dictionary<string, string[]>
            {
                ["Range"] = [$"{range} {how} (\"{overlapping.Reason}\", added by {overlapping.AddedByName} on " +
                             $"{overlapping.AddedAt.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}): remove that one first, or enter a range outside it."],
            });
        }
        var entity = new KnownEgressRange(Guid.CreateVersion7(), range, command.Reason.Trim(), context.Actor.UserId, context.Actor.DisplayName, context.Now);
        db.KnownEgressRanges.Add(entity);
        var people = await KnownEgressRangeRules.PeopleWithAccessFromAsync(db, range, ct);
        context.Db.EvidenceChanged(people);
        return Outcome<KnownEgressRangeView>.Ok(KnownEgressRangeRules.View(entity));
    }
}

public sealed class RemoveKnownEgressRangeValidator : AbstractValidator<RemoveKnownEgressRange>
{
    public RemoveKnownEgressRangeValidator()
    {
        RuleFor(c => c.Id).NotEmpty().WithMessage("Choose the range to remove.");
        KnownEgressRangeRules.Reason(RuleFor(c => c.Reason),
            $"Say why the range is no longer a known egress (at least {KnownEgressRangeRules.MinReason} characters): it stands in the audit trail.");
    }
}

internal sealed class RemoveKnownEgressRangeHandler : ICommandHandler<RemoveKnownEgressRange, KnownEgressRangeView>
{
    public async Task<Outcome<KnownEgressRangeView>> HandleAsync(RemoveKnownEgressRange command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var entity = await db.KnownEgressRanges.SingleOrDefaultAsync(r => r.Id == command.Id, ct);
        if (entity is null)
        {
            return Outcome<KnownEgressRangeView>.NotFound("The known egress range");
        }
        var removed = KnownEgressRangeRules.View(entity);
        // The reason into the trail, in this transaction: a change of the range's reason, then its deletion.
        db.Entry(entity).Property(r => r.Reason).CurrentValue =
            $"Removed by {context.Actor.DisplayName} on {context.Now.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}: {command.Reason.Trim()}";
        await db.SaveChangesAsync(ct);
        db.KnownEgressRanges.Remove(entity);
        var people = await KnownEgressRangeRules.PeopleWithAccessFromAsync(db, entity.Range, ct);
        context.Db.EvidenceChanged(people);
        return Outcome<KnownEgressRangeView>.Ok(removed);
    }
}
