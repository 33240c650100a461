using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Screening;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>What a list import did: the new version, its size, and what re-screening everyone found.</summary>
public sealed record ListImportResult(Guid ListId, int Version, int Entries, string Sha256, int PeopleScreened, int NewHits,
    ConsequencesView Consequences);

/// <summary>
/// An administrator imports a new version of the restricted-party list (the Consolidated Screening List CSV). The
/// file is checked row by row — any problem refuses the whole file — then stored as the next version, and everyone
/// employed is screened against it in the same transaction: new hits hold grants, cleared names release them.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record ImportRestrictedPartyList(string FileName, byte[] Content) : ICommand<ListImportResult>;

public sealed class ImportRestrictedPartyListValidator : AbstractValidator<ImportRestrictedPartyList>
{
    /// <summary>The published list is about 10 MB; anything far larger is not it.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    public ImportRestrictedPartyListValidator()
    {
        RuleFor(c => c.FileName).NotEmpty().MaximumLength(260)
            .Must(n => n.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).WithMessage("Upload the list as a .csv file.");
        RuleFor(c => c.Content).NotEmpty().WithMessage("The file is empty.")
            .Must(c => c.Length <= MaxBytes).WithMessage($"The file is larger than {MaxBytes / 1024 / 1024} MB.");
    }
}

internal sealed class ImportRestrictedPartyListHandler : ICommandHandler<ImportRestrictedPartyList, ListImportResult>
{
    public async Task<Outcome<ListImportResult>> HandleAsync(ImportRestrictedPartyList command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        using var stream = new MemoryStream(command.Content, writable: false);
        var parsed = await ConsolidatedScreeningList.ParseAsync(stream, ct);
        if (parsed.Errors.Count > 0)
        {
            return Outcome<ListImportResult>.Invalid(parsed.Errors
                .GroupBy(e => e.Row == 0 ? "file" : $"row {e.Row}")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Column.Length == 0 ? e.Message : $"{e.Column}: {e.Message}").ToArray()));
        }
        var version = (await db.RestrictedPartyLists.MaxAsync(l => (int?)l.Version, ct) ?? 0) + 1;
        var list = new RestrictedPartyList(Guid.CreateVersion7(), version, Path.GetFileName(command.FileName), parsed.Sha256, parsed.Parties.Count,
            context.Actor.UserId, context.Actor.DisplayName, context.Now);
        db.RestrictedPartyLists.Add(list);
        var entries = parsed.Parties.Select(p => new RestrictedPartyEntry(Guid.CreateVersion7(), list.Id, p)).ToList();
        db.RestrictedPartyEntries.AddRange(entries);

        var index = ScreeningIndexCache.Build(list.Id, version, entries);
        var (_, parameters) = await ComplianceGate.ActivePolicyAsync(db, ct);
        var people = await db.People.AsNoTracking().Where(p => p.EmploymentStatus == Domain.EmploymentStatus.Active).ToListAsync(ct);
        db.FactSource = FactSource.Screening;
        var newHits = await Screener.ScreenAsync(db, index, people, parameters.ScreeningSettings, context.Now, ct);
        return Outcome<ListImportResult>.OkAfterSave(() =>
            new ListImportResult(list.Id, version, entries.Count, parsed.Sha256, people.Count, newHits, db.Consequences.ToView()));
    }
}

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
        hit.Adjudicate(command.Decision, context.Actor.UserId, context.Now, command.Notes.Trim());
        var person = await db.People.SingleAsync(p => p.Id == hit.PersonId, ct);
        var hits = await db.ScreeningHits.Where(h => h.PersonId == person.Id && h.Status != HitStatus.Superseded).ToListAsync(ct);
        var (status, match) = Screener.StatusOf(hits);
        person.RecordScreening(status, match);
        db.FactSource = FactSource.Screening;
        return Outcome<AdjudicationResult>.OkAfterSave(() => new AdjudicationResult(ScreeningHitView.From(hit), status, db.Consequences.ToView()));
    }
}
