using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Severity = ComplianceHub.Core.Rules.Severity;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>A rule outcome a row's change causes (for example the grant it would suspend).</summary>
public sealed record ImportViolation(int Row, string RuleId, Severity Severity, string Message);

/// <summary>What a roster import did or, on a dry run, would do (API.md roster imports).</summary>
public sealed record RosterImportReport(int Rows, int Accepted, int Rejected, int Added, int Updated, int Terminated, int Unchanged,
    IReadOnlyList<ImportError> Errors, IReadOnlyList<ImportViolation> Violations, ConsequencesView Consequences, bool DryRun, bool Applied);

/// <summary>
/// Imports a roster file into a vendor's roster (API.md <c>POST /vendors/{id}/roster-imports</c>): a known employee id updates
/// that person (a fact change with consequences), a new one adds a person, <c>employmentStatus</c> Terminated offboards.
/// All or nothing: any bad row and nothing is written; the report names each row and field. With <see cref="DryRun"/>
/// the whole import runs — gate, consequences, audit — and is rolled back, so the report is exactly what applying would do.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record ImportRoster(Guid VendorId, string FileName, byte[] Content, bool DryRun) : ICommand<RosterImportReport>, ICanDryRun;

public sealed class ImportRosterValidator : AbstractValidator<ImportRoster>
{
    public ImportRosterValidator()
    {
        RuleFor(c => c.VendorId).NotEmpty();
        RuleFor(c => c.FileName).NotEmpty().MaximumLength(260);
        RuleFor(c => c.Content).NotEmpty().WithMessage("The file is empty.")
            .Must(c => c.Length <= RosterFile.MaxBytes).WithMessage($"The file is larger than {RosterFile.MaxBytes / 1024 / 1024} MB.");
    }
}

internal sealed class ImportRosterHandler : ICommandHandler<ImportRoster, RosterImportReport>
{
    private static readonly PersonFieldsValidator Validator = new();

    public async Task<Outcome<RosterImportReport>> HandleAsync(ImportRoster command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        if ((context.Actor.IsVendorRepresentative && context.Actor.VendorId != command.VendorId) || !await db.Vendors.AnyAsync(v => v.Id == command.VendorId, ct))
        {
            return Outcome<RosterImportReport>.NotFound("The vendor");
        }
        using var stream = new MemoryStream(command.Content, writable: false);
        var parsed = await RosterFile.ParseAsync(stream, command.FileName, ct);
        if (parsed.Errors.Count > 0)
        {
            return Outcome<RosterImportReport>.Ok(Report(parsed.Rows.Count, [], parsed.Errors, command.DryRun));
        }

        // 1. Every row on its own: parse, validate, no duplicates.
        var errors = new List<ImportError>();
        var good = new List<(RosterRow Row, PersonFields Fields, EmploymentStatus Status)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in parsed.Rows)
        {
            var (fields, status, rowErrors) = Convert(row);
            if (fields is not null && seen.TryGetValue(fields.EmployeeId, out var first))
            {
                rowErrors.Add(new ImportError(row.Row, "employeeId", $"Employee id {fields.EmployeeId} is already on row {first} of this file."));
            }
            else if (fields is not null)
            {
                seen[fields.EmployeeId] = row.Row;
            }
            if (rowErrors.Count == 0)
            {
                good.Add((row, fields!, status));
            }
            errors.AddRange(rowErrors);
        }

        // 2. Against the roster: known ids update, new ids add, Terminated offboards.
        var ids = good.Select(g => g.Fields.EmployeeId).ToList();
        var existing = await db.People.Where(p => p.VendorId == command.VendorId && ids.Contains(p.EmployeeId)).ToDictionaryAsync(p => p.EmployeeId, ct);
        int added = 0, terminated = 0;
        var rowOfPerson = new Dictionary<Guid, int>();
        var touched = new List<Person>();
        foreach (var (row, fields, status) in good)
        {
            if (existing.TryGetValue(fields.EmployeeId, out var person))
            {
                if (person.EmploymentStatus == EmploymentStatus.Terminated)
                {
                    if (status == EmploymentStatus.Active)
                    {
                        errors.Add(new ImportError(row.Row, "employmentStatus", $"{fields.EmployeeId} was offboarded; a returning employee is added with a new employee id."));
                    }
                    continue;
                }
                PersonFieldsMapping.Apply(person, fields);
                if (status == EmploymentStatus.Terminated)
                {
                    person.Terminate(context.Today);
                    terminated++;
                }
                touched.Add(person);
            }
            else
            {
                if (status == EmploymentStatus.Terminated)
                {
                    errors.Add(new ImportError(row.Row, "employmentStatus", $"{fields.EmployeeId} is not on the roster; there is nobody to offboard."));
                    continue;
                }
                person = new Person(Guid.CreateVersion7(), command.VendorId, fields.EmployeeId, fields.FullName.Trim(), fields.Email.Trim(), fields.EmployerType,
                    fields.Citizenships, fields.CountryOfBirth, fields.UsLawfulPermanentResident, fields.WorkLocation.Country, fields.WorkLocation.City.Trim());
                PersonFieldsMapping.Apply(person, fields);
                db.People.Add(person);
                added++;
            }
            rowOfPerson[person.Id] = row.Row;
        }
        if (errors.Count > 0)
        {
            // All or nothing: drop whatever the good rows changed, so the save writes nothing.
            db.ChangeTracker.Clear();
            return Outcome<RosterImportReport>.Ok(Report(parsed.Rows.Count, [], errors, command.DryRun));
        }
        db.ChangeTracker.DetectChanges();
        var updated = touched.Count(p => db.Entry(p).State == EntityState.Modified) - terminated;
        var unchanged = touched.Count - updated - terminated;
        db.FactSource = FactSource.Imported;
        return Outcome<RosterImportReport>.OkAfterSave(() =>
        {
            var violations = db.Outcomes
                .Where(o => o.Key is AccessGrant g && rowOfPerson.ContainsKey(g.PersonId))
                .SelectMany(o => o.Value.Select(v => new ImportViolation(rowOfPerson[((AccessGrant)o.Key).PersonId], v.RuleId, v.Severity, v.Message)))
                .OrderBy(v => v.Row).ThenBy(v => v.RuleId, StringComparer.Ordinal).ToList();
            return new RosterImportReport(parsed.Rows.Count, parsed.Rows.Count, 0, added, updated, terminated, unchanged, [], violations,
                db.Consequences.ToView(), command.DryRun, !command.DryRun);
        });
    }

    private static RosterImportReport Report(int rows, IReadOnlyList<ImportViolation> violations, IReadOnlyList<ImportError> errors, bool dryRun)
    {
        var rejected = errors.Where(e => e.Row > 1).Select(e => e.Row).Distinct().Count();
        return new RosterImportReport(rows, errors.Any(e => e.Row <= 1) ? 0 : rows - rejected, errors.Any(e => e.Row <= 1) ? rows : rejected,
            0, 0, 0, 0, errors.OrderBy(e => e.Row).ToList(), violations, new ConsequencesView([], [], [], [], []), dryRun, false);
    }

    /// <summary>One row's cells as person fields, with an error per cell that cannot be read or is not valid.</summary>
    private static (PersonFields? Fields, EmploymentStatus Status, List<ImportError> Errors) Convert(RosterRow row)
    {
        var errors = new List<ImportError>();
        string Text(string column) => row.Cells.GetValueOrDefault(column, "");
        foreach (var (column, value) in row.Cells.Where(c => RosterFile.LooksLikeFormula(c.Value)))
        {
            errors.Add(new ImportError(row.Row, column, "The cell starts like a spreadsheet formula (=, +, -, @); enter the value as plain text."));
        }
        if (errors.Count > 0)
        {
            return (null, EmploymentStatus.Active, errors);
        }
        TEnum Enum<TEnum>(string column, TEnum fallback) where TEnum : struct, System.Enum
        {
            var value = Text(column);
            if (value.Length == 0)
            {
                return fallback;
            }
            if (System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(value, out _))
            {
                return parsed;
            }
            errors.Add(new ImportError(row.Row, column, $"'{value}' is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}."));
            return fallback;
        }
        bool Bool(string column)
        {
            var value = Text(column);
            if (value.Length == 0) { return false; }
            if (bool.TryParse(value, out var b)) { return b; }
            errors.Add(new ImportError(row.Row, column, $"'{value}' is not true or false."));
            return false;
        }
        DateOnly? Date(string column)
        {
            var value = Text(column);
            if (value.Length == 0) { return null; }
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) { return d; }
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 2958466)
            {
                return DateOnly.FromDateTime(DateTime.FromOADate(serial)); // an Excel date cell
            }
            errors.Add(new ImportError(row.Row, column, $"'{value}' is not a date in the form YYYY-MM-DD."));
            return null;
        }

        var fields = new PersonFields(
            Text("employeeId"), Text("fullName"), Text("email"), Enum("employerType", EmployerType.VendorEmployee),
            Text("citizenships").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToUpperInvariant()).ToList(),
            Text("countryOfBirth").ToUpperInvariant(), Bool("usLawfulPermanentResident"),
            new WorkLocation(Text("workCountry").ToUpperInvariant(), Text("workCity")),
            Enum("investigationTier", InvestigationTier.None), Date("adjudicatedOn"), Bool("continuousVetting"), Enum("clearance", Clearance.None),
            Date("ndaSignedOn"), Enum("escortQualification", EscortQualification.None), Date("escortTrainingOn"));
        var status = Enum("employmentStatus", EmploymentStatus.Active);
        if (Text("employerType").Length == 0)
        {
            errors.Add(new ImportError(row.Row, "employerType", $"Give the employer type: {string.Join(", ", System.Enum.GetNames<EmployerType>())}."));
        }
        foreach (var failure in Validator.Validate(fields).Errors)
        {
            var column = failure.PropertyName switch
            {
                "WorkLocation.Country" => "workCountry",
                "WorkLocation.City" => "workCity",
                var name when name.StartsWith("Citizenships", StringComparison.Ordinal) => "citizenships",
                var name => char.ToLowerInvariant(name[0]) + name[1..],
            };
            if (errors.All(e => e.Field != column))
            {
                errors.Add(new ImportError(row.Row, column, failure.ErrorMessage));
            }
        }
        return (errors.Count == 0 ? fields : null, status, errors);
    }
}
