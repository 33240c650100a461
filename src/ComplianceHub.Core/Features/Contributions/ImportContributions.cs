using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules.Contributions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>What a line of a contributions file does.</summary>
public enum ContributionImportAction { Add, Update, Unchanged, Error }

/// <summary>One line of the file in the report: what it does, who it was matched to and the flags it raised (or its errors).</summary>
public sealed record ContributionImportRow(int Line, string ExternalId, string Repository, string AuthorEmail, DateTimeOffset? ContributedAt,
    ContributionImportAction Action, Guid? PersonId, string? PersonName, ContributionMatch Match, int RiskScore, IReadOnlyList<string> Flags,
    IReadOnlyList<ImportError> Errors);

/// <summary>What an import did or, on a dry run, would do: totals, then every line.</summary>
public sealed record ContributionImportReport(int Rows, int Added, int Updated, int Unchanged, int Matched, int Unmatched, int Flagged,
    IReadOnlyList<ImportError> Errors, bool DryRun, bool Applied)
{
    public IReadOnlyList<ContributionImportRow> RowReports { get; init; } = [];
}

/// <summary>
/// Imports a vendor's code contributions to one system (API.md <c>POST /vendors/{id}/contributions/imports</c>) from git
/// log output (<see cref="Repository"/> names the repository) or a CSV. All or nothing: one bad line and nothing is written,
/// the report names every line and field. A change already imported (same vendor, system, repository and id) is unchanged;
/// a CSV row may correct its title or link, not who made it or when. Authors are matched and flagged by the gate as the
/// rows are saved; with <see cref="DryRun"/> all of it runs and is rolled back. Auditors import too (API.md: an outside audit
/// brings the repository's history, <see cref="AuditorWork"/>): contributions are evidence for review, not roster, access or
/// policy data, and the import is audited as the auditor.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.Auditor, Roles.VendorRepresentative)]
public sealed record ImportContributions(Guid VendorId, Guid SystemId, string? Repository, string FileName, FileUpload Content, bool DryRun)
    : ICommand<ContributionImportReport>, ICanDryRun;

public sealed class ImportContributionsValidator : AbstractValidator<ImportContributions>
{
    public ImportContributionsValidator()
    {
        RuleFor(c => c.VendorId).NotEmpty().WithMessage("Choose the vendor.");
        RuleFor(c => c.SystemId).NotEmpty().WithMessage("Choose the system the code belongs to.");
        RuleFor(c => c.Repository).MaximumLength(200);
        RuleFor(c => c.Repository).NotEmpty().WithMessage("Name the repository the git log comes from.")
            .When(c => !Path.GetExtension(c.FileName ?? "").Equals(".csv", StringComparison.OrdinalIgnoreCase));
        RuleFor(c => c.FileName).NotEmpty().MaximumLength(260);
        RuleFor(c => c.Content).Must(c => c is { Length: > 0 }).WithMessage("The file is empty.")
            .Must(c => c is null || c.Length <= ContributionFile.MaxBytes).WithMessage($"The file is larger than {ContributionFile.MaxBytes / 1024 / 1024} MB.");
    }
}

internal sealed class ImportContributionsHandler : ICommandHandler<ImportContributions, ContributionImportReport>
{
    public async Task<Outcome<ContributionImportReport>> HandleAsync(ImportContributions command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var actor = context.Actor;
        if (!actor.Sees(command.VendorId) || !await db.Vendors.AnyAsync(v => v.Id == command.VendorId, ct))
        {
            return Outcome<ContributionImportReport>.NotFound("The vendor");
        }
        var system = await db.Systems.AsNoTracking().SingleOrDefaultAsync(s => s.Id == command.SystemId, ct);
        var covered = system is not null && await db.Contracts.AnyAsync(c => c.VendorId == command.VendorId && c.SystemIds.Contains(command.SystemId), ct);
        if (system is null || (!covered && actor.IsVendorRepresentative))
        {
            return Outcome<ContributionImportReport>.NotFound("The system");
        }
        if (!covered)
        {
            return Outcome<ContributionImportReport>.Invalid(new Dictionary<string, string[]>
            {
                ["SystemId"] = [$"{system.Name} is not covered by a contract of this vendor."],
            });
        }

        ImportProgressScope.Report(ImportPhase.Reading, 0, 0);
        var parsed = await ContributionFile.ParseAsync(command.Content, command.FileName, command.Repository, context.Now, ct);
        var errors = parsed.Errors.ToList();
        var total = parsed.Rows.Count + errors.Select(e => e.Row).Where(r => r > 0).Distinct().Count();
        if (errors.Any(e => e.Row == 0) || (parsed.Format == ContributionSource.Csv && errors.Any(e => e.Row == 1)))
        {
            return Outcome<ContributionImportReport>.Ok(Report(total, errors, command.DryRun, []));
        }

        // Against what is already imported, in chunks (one query per chunk, none per line).
        ImportProgressScope.Report(ImportPhase.Matching, 0, parsed.Rows.Count);
        var existing = new Dictionary<(string, string), CodeContribution>();
        foreach (var repository in parsed.Rows.GroupBy(r => r.Repository))
        {
            foreach (var chunk in repository.Select(r => r.ExternalId).Chunk(5_000))
            {
                var found = await db.CodeContributions
                    .Where(c => c.VendorId == command.VendorId && c.SystemId == command.SystemId && c.Repository == repository.Key && chunk.Contains(c.ExternalId))
                    .ToListAsync(ct);
                foreach (var c in found)
                {
                    existing[(c.Repository, c.ExternalId)] = c;
                }
            }
        }
        var actions = new Dictionary<int, (ContributionImportAction Action, CodeContribution? Row)>();
        int added = 0, updated = 0, unchanged = 0;
        foreach (var row in parsed.Rows)
        {
            if (existing.TryGetValue((row.Repository, row.ExternalId), out var known))
            {
                if (known.AuthorEmail != CodeContribution.NormalizeEmail(row.AuthorEmail) || known.ContributedAt != row.ContributedAt)
                {
                    errors.Add(new(row.Line, "id", $"{row.ExternalId} was imported before as {known.AuthorEmail} on {known.ContributedAt:yyyy-MM-dd HH:mm} UTC; " +
                                                  "an id names one change, whose author and date do not change."));
                    continue;
                }
                var title = row.Title.Length == 0 ? known.Title : row.Title;
                if (title != known.Title || (row.Url ?? known.Url) != known.Url)
                {
                    known.Describe(title, row.Url ?? known.Url);
                    actions[row.Line] = (ContributionImportAction.Update, known);
                    updated++;
                }
                else
                {
                    actions[row.Line] = (ContributionImportAction.Unchanged, known);
                    unchanged++;
                }
                continue;
            }
            var contribution = new CodeContribution(Guid.CreateVersion7(), command.VendorId, command.SystemId, row.Repository, row.ExternalId, row.AuthorName,
                row.AuthorEmail, row.ContributedAt, row.Title, row.Url, parsed.Format, actor.UserId, actor.DisplayName, context.Now);
            db.CodeContributions.Add(contribution);
            actions[row.Line] = (ContributionImportAction.Add, contribution);
            added++;
        }
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear(); // all or nothing
            return Outcome<ContributionImportReport>.Ok(Report(total, errors, command.DryRun, Rows(parsed, actions, errors, new Dictionary<Guid, string>())));
        }

        // The names of everyone the authors can match (roster e-mail or alias), for the report.
        var addresses = parsed.Rows.Select(r => CodeContribution.NormalizeEmail(r.AuthorEmail)).Distinct().ToList();
        var names = new Dictionary<Guid, string>();
        foreach (var chunk in addresses.Chunk(5_000))
        {
            var aliased = db.ContributorAliases.Where(a => a.VendorId == command.VendorId && chunk.Contains(a.Email)).Select(a => a.PersonId);
            foreach (var p in await db.People.AsNoTracking()
                         .Where(p => p.VendorId == command.VendorId && (chunk.Contains(p.Email.ToLower()) || aliased.Contains(p.Id)))
                         .Select(p => new { p.Id, p.FullName }).ToListAsync(ct))
            {
                names[p.Id] = p.FullName;
            }
        }
        ImportProgressScope.Report(ImportPhase.Saving, 0, parsed.Rows.Count);
        return Outcome<ContributionImportReport>.OkAfterSave(() =>
        {
            var rows = Rows(parsed, actions, errors, names);
            var written = actions.Values.Select(a => a.Row!).ToList();
            ImportProgressScope.Report(ImportPhase.Done, parsed.Rows.Count, parsed.Rows.Count);
            return new ContributionImportReport(parsed.Rows.Count, added, updated, unchanged, written.Count(c => c.PersonId is not null),
                written.Count(c => c.PersonId is null), written.Count(c => c.IsFlagged), [], command.DryRun, !command.DryRun) { RowReports = rows };
        });
    }

    private static ContributionImportReport Report(int rows, IReadOnlyList<ImportError> errors, bool dryRun, IReadOnlyList<ContributionImportRow> lines) =>
        new(rows, 0, 0, 0, 0, 0, 0, errors.OrderBy(e => e.Row).ToList(), dryRun, false) { RowReports = lines };

    private static List<ContributionImportRow> Rows(ParsedContributions parsed, Dictionary<int, (ContributionImportAction Action, CodeContribution? Row)> actions,
        IReadOnlyList<ImportError> errors, IReadOnlyDictionary<Guid, string> names)
    {
        var byLine = errors.Where(e => e.Row > 1 || (e.Row == 1 && parsed.Format == ContributionSource.GitLog)).ToLookup(e => e.Row);
        var rows = parsed.Rows.Select(r =>
        {
            var lineErrors = byLine[r.Line].ToList();
            if (lineErrors.Count > 0 || !actions.TryGetValue(r.Line, out var done) || done.Row is not { } c)
            {
                return new ContributionImportRow(r.Line, r.ExternalId, r.Repository, r.AuthorEmail, r.ContributedAt, ContributionImportAction.Error, null, null,
                    ContributionMatch.Unmatched, 0, [], lineErrors);
            }
            return new ContributionImportRow(r.Line, r.ExternalId, r.Repository, c.AuthorEmail, c.ContributedAt, done.Action, c.PersonId,
                c.PersonId is { } id ? names.GetValueOrDefault(id) : null, c.Match, c.RiskScore, FlagCodes(c.Flags), []);
        }).ToList();
        // Lines that did not parse at all are in the report too, with their errors.
        var parsedLines = parsed.Rows.Select(r => r.Line).ToHashSet();
        rows.AddRange(byLine.Where(g => !parsedLines.Contains(g.Key)).Select(g => new ContributionImportRow(g.Key, "", "", "", null,
            ContributionImportAction.Error, null, null, ContributionMatch.Unmatched, 0, [], g.ToList())));
        return rows.OrderBy(r => r.Line).ToList();
    }

    /// <summary>The codes of a contribution's stored flags.</summary>
    internal static IReadOnlyList<string> FlagCodes(string flagsJson) =>
        JsonSerializer.Deserialize<List<StoredFlag>>(flagsJson, JsonSerializerOptions.Web)?.Select(f => f.Code).ToList() ?? [];

    private sealed record StoredFlag(string Code);
}
