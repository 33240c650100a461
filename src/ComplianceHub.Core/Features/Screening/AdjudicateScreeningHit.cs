using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>A hit as the API shows it.</summary>
public sealed record ScreeningHitView(Guid Id, Guid PersonId, Guid VendorId, int ListVersion, string EntryKey, string ScreenedName, string MatchedName,
    double Score, HitStatus Status, DateTimeOffset DetectedAt, Guid? AdjudicatedBy, DateTimeOffset? AdjudicatedAt, string? Notes)
{
    public static ScreeningHitView From(ScreeningHit h) => new(h.Id, h.PersonId, h.VendorId, h.ListVersion, h.EntryKey, h.ScreenedName, h.MatchedName,
        h.Score, h.Status, h.DetectedAt, h.AdjudicatedBy, h.AdjudicatedAt, h.Notes);
}

/// <summary>The result of an adjudication: the hit, and what the person's new screening status caused.</summary>
public sealed record AdjudicationResult(ScreeningHitView Hit, Domain.ScreeningStatus PersonStatus, ConsequencesView Consequences);

/// <summary>
/// A contracting officer adjudicates a pending hit after due diligence: a true match keeps the person's grants held; a
/// false positive, once no other hit is pending, releases them (every rule is evaluated again). Notes are required and
/// audited with the decision.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record AdjudicateScreeningHit(Guid HitId, HitDecision Decision, string Notes) : ICommand<AdjudicationResult>;

public sealed class AdjudicateScreeningHitValidator : AbstractValidator<AdjudicateScreeningHit>
{
    public AdjudicateScreeningHitValidator()
    {
        RuleFor(c => c.HitId).NotEmpty();
        RuleFor(c => c.Decision).IsInEnum();
        RuleFor(c => c.Notes).NotEmpty().WithMessage("Record the due diligence behind the decision (identifiers compared, sources checked).")
            .MaximumLength(4000);
    }
}

internal sealed class AdjudicateScreeningHitHandler : ICommandHandler<AdjudicateScreeningHit, AdjudicationResult>
{
    public async Task<Outcome<AdjudicationResult>> HandleAsync(AdjudicateScreeningHit command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var hit = await db.ScreeningHits.VisibleTo(context.Actor).SingleOrDefaultAsync(h => h.Id == command.HitId, ct);
        if (hit is null)
        {
            return Outcome<AdjudicationResult>.NotFound("The screening hit");
        }
        if (hit.Status != HitStatus.Pending)
        {
            return Outcome<AdjudicationResult>.Conflict($"The hit is {hit.Status}; only a pending hit can be adjudicated.");
        }
        var (status, _) = (await ScreeningAdjudication.AdjudicateAsync([hit], command.Decision, command.Notes, context, ct))[0];
        return Outcome<AdjudicationResult>.OkAfterSave(() => new AdjudicationResult(ScreeningHitView.From(hit), status, db.Consequences.ToView()));
    }
}

/// <summary>What adjudicating hits does, one hit or many (<see cref="AdjudicateScreeningHits"/>): record each decision, then each person's new screening status from all their hits.</summary>
internal static class ScreeningAdjudication
{
    /// <summary>Why the hit cannot be adjudicated, in words, or null when it can.</summary>
    public static string? Refusal(ScreeningHit hit) =>
        hit.Status == HitStatus.Pending ? null : "It is no longer pending (already adjudicated, or replaced by a newer list); reload the list.";

    /// <summary>
    /// Adjudicates the (tracked, pending) hits and records the screening status of each person concerned — their hits read in
    /// one query — as a fact change from screening: the gate releases or keeps their grants.
    /// </summary>
    public static async Task<List<(Domain.ScreeningStatus Status, Person Person)>> AdjudicateAsync(IReadOnlyCollection<ScreeningHit> decided,
        HitDecision decision, string notes, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        foreach (var hit in decided)
        {
            hit.Adjudicate(decision, context.Actor.UserId, context.Now, notes.Trim());
        }
        var personIds = decided.Select(h => h.PersonId).Distinct().ToList();
        var people = await db.People.Where(p => personIds.Contains(p.Id)).ToListAsync(ct);
        // Tracked: the hits just decided come back as the same instances, with their new status.
        var hits = (await db.ScreeningHits.Where(h => personIds.Contains(h.PersonId) && h.Status != HitStatus.Superseded).ToListAsync(ct)).ToLookup(h => h.PersonId);
        var result = new List<(Domain.ScreeningStatus, Person)>();
        foreach (var person in people)
        {
            var (status, match) = Screener.StatusOf(hits[person.Id].Where(h => h.Status != HitStatus.Superseded).ToList());
            person.RecordScreening(status, match);
            result.Add((status, person));
        }
        db.FactSource = FactSource.Screening;
        return result;
    }
}
