using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Gate;
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
        var (_, parameters) = await ActivePolicy.ForChangeAsync(db, ct);
        var people = await db.People.AsNoTracking().Where(p => p.EmploymentStatus == Domain.EmploymentStatus.Active).ToListAsync(ct);
        db.FactSource = FactSource.Screening;
        var newHits = await Screener.ScreenAsync(db, index, people, parameters.ScreeningSettings, context.Now, ct);
        return Outcome<ListImportResult>.OkAfterSave(() =>
            new ListImportResult(list.Id, version, entries.Count, parsed.Sha256, people.Count, newHits, db.Consequences.ToView()));
    }
}
