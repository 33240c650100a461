using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Severity = ComplianceHub.Core.Domain.Findings.Severity;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>A rule outcome a row's change causes (for example the grant it would suspend).</summary>
public sealed record ImportViolation(int Row, string RuleId, Severity Severity, string Message);

/// <summary>What a row of a roster file does.</summary>
public enum ImportAction { Add, Change, Terminate, Unchanged, Error }

/// <summary>
/// One row of the file in the report: what it does (with the fields a change changes), its field errors, the rule
/// outcomes on the grants of its person, and its consequences (grants it suspends or revokes, findings it opens).
/// </summary>
public sealed record ImportRowReport(int Row, string EmployeeId, string FullName, ImportAction Action, IReadOnlyList<string> ChangedFields,
    IReadOnlyList<ImportError> Errors, IReadOnlyList<ImportViolation> Outcomes, IReadOnlyList<string> Consequences);

/// <summary>What a roster import did or, on a dry run, would do (API.md roster imports), totals first, then row by row.</summary>
public sealed record RosterImportReport(int Rows, int Accepted, int Rejected, int Added, int Updated, int Terminated, int Unchanged,
    IReadOnlyList<ImportError> Errors, IReadOnlyList<ImportViolation> Violations, ConsequencesView Consequences, bool DryRun, bool Applied)
{
    /// <summary>Every row of the file, in file order (empty when the file itself was refused).</summary>
    public IReadOnlyList<ImportRowReport> RowReports { get; init; } = [];

    /// <summary>
    /// When these exact bytes were applied to the vendor's roster before (ADR 0041): the earlier import. An apply is then refused
    /// (<see cref="Applied"/> false, nothing changed) unless <see cref="ImportRoster.Reapply"/> is set; a dry run reports it too.
    /// </summary>
    public RosterImportPointer? AlreadyApplied { get; init; }

    /// <summary>The SHA-256 of the file (lower-case hex).</summary>
    public string? Sha256 { get; init; }

    /// <summary>The import this application recorded (its id, for <c>GET /vendors/{id}/roster-imports/{importId}</c>), when applied.</summary>
    public Guid? ImportId { get; init; }
}

/// <summary>An earlier application of the same file: when, by whom, under which name, and how to read it.</summary>
public sealed record RosterImportPointer(Guid ImportId, Guid VendorId, string FileName, DateTimeOffset AppliedAt, string AppliedBy, int TimesApplied)
{
    /// <summary>The API path of the earlier import (readable by the vendor's representatives and the officers who see the vendor).</summary>
    public string Link => $"/api/v1/vendors/{VendorId}/roster-imports/{ImportId}";

    /// <summary>
    /// "This file was already applied on … by … (import …); nothing was changed. To apply it again, …" — <paramref name="howToApplyAgain"/>
    /// names the switch of the door it is read at (the wizard's box, the API's <c>reapply=true</c>).
    /// </summary>
    public string Describe(string howToApplyAgain, bool dryRun = false) =>
        $"This file was already applied on {AppliedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {AppliedBy} (import {Link}" +
        (TimesApplied > 1 ? $", applied {TimesApplied} times" : "") + ")" +
        (dryRun ? "; applying it would be refused and change nothing." : "; nothing was changed.") +
        $" Applying an old file again would undo changes made since. To apply it again anyway, {howToApplyAgain}.";
}

/// <summary>
/// Imports a roster file into a vendor's roster (API.md <c>POST /vendors/{id}/roster-imports</c>): a known employee id updates
/// that person (a fact change with consequences), a new one adds a person, <c>employmentStatus</c> Terminated offboards.
/// All or nothing: any bad row and nothing is written; the report names each row and field. With <see cref="DryRun"/>
/// the whole import runs — gate, consequences, audit — and is rolled back, so the report is exactly what applying would do.
/// Progress is reported through <see cref="ImportProgressScope"/>, not through the command, so the command stays plain data.
/// </summary>
/// <remarks>
/// Each applied file is recorded by its SHA-256 per vendor (<see cref="RosterImportRecord"/>, ADR 0041): the same file again is refused
/// with a pointer to the first application (<see cref="RosterImportReport.AlreadyApplied"/>) — re-applying an old file would revert newer
/// edits — unless <see cref="Reapply"/> says it is meant.
/// </remarks>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record ImportRoster(Guid VendorId, string FileName, FileUpload Content, bool DryRun, bool Reapply = false) : ICommand<RosterImportReport>, ICanDryRun;

public sealed class ImportRosterValidator : AbstractValidator<ImportRoster>
{
    public ImportRosterValidator()
    {
        RuleFor(c => c.VendorId).NotEmpty();
        RuleFor(c => c.FileName).NotEmpty().MaximumLength(260);
        RuleFor(c => c.Content).NotNull().Must(c => c is null || c.Length > 0).WithMessage("The file is empty.")
            .Must(c => c is null || c.Length <= RosterFile.MaxBytes).WithMessage($"The file is larger than {RosterFile.MaxBytes / 1024 / 1024} MB.");
    }
}

internal sealed class ImportRosterHandler : ICommandHandler<ImportRoster, RosterImportReport>
{
    private static readonly PersonFieldsValidator Validator = new();
    /// <summary>Rows matched, and then saved, at a time.</summary>
    private const int ApplyChunk = 5_000;

    public async Task<Outcome<RosterImportReport>> HandleAsync(ImportRoster command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        if (!context.Actor.Sees(command.VendorId) || !await db.Vendors.AnyAsync(v => v.Id == command.VendorId, ct))
        {
            return Outcome<RosterImportReport>.NotFound("The vendor");
        }
        ImportProgressScope.Report(ImportPhase.Reading, 0, 0);
        // The same bytes applied before are refused before anything is read (ADR 0041); a dry run goes on and says so.
        var sha256 = await command.Content.Sha256Async(ct);
        var earlier = await db.RosterImports.AsNoTracking().Where(r => r.VendorId == command.VendorId && r.Sha256 == sha256)
            .Select(r => new RosterImportPointer(r.Id, r.VendorId, r.FileName, r.AppliedAt, r.AppliedByName, r.TimesApplied)).SingleOrDefaultAsync(ct);
        if (earlier is not null && !command.DryRun && !command.Reapply)
        {
            return Outcome<RosterImportReport>.Ok(Report(0, [], [], dryRun: false) with { AlreadyApplied = earlier, Sha256 = sha256 });
        }
        await using var stream = command.Content.Open();
        var parsed = await RosterFile.ParseAsync(stream, command.FileName, ct,
            new InlineProgress<int>(n => ImportProgressScope.Report(ImportPhase.Reading, n, 0)));
        if (parsed.Errors.Count > 0)
        {
            return Outcome<RosterImportReport>.Ok(Report(parsed.Rows.Count, [], parsed.Errors, command.DryRun) with { AlreadyApplied = earlier, Sha256 = sha256 });
        }
        var total = parsed.Rows.Count;

        // 1. Every row on its own: parse, validate, no duplicates.
        var errors = new List<ImportError>();
        var good = new List<(RosterRow Row, PersonFields Fields, EmploymentStatus Status)>(total);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in parsed.Rows)
        {
            var (fields, status, rowErrors) = Convert(row);
            var employeeId = fields?.EmployeeId ?? row.Cells.GetValueOrDefault("employeeId", "");
            if (employeeId.Length > 0 && seen.TryGetValue(employeeId, out var first))
            {
                rowErrors.Add(new ImportError(row.Row, "employeeId", $"Employee id {employeeId} is already on row {first} of this file."));
            }
            else if (employeeId.Length > 0)
            {
                seen[employeeId] = row.Row;
            }
            if (rowErrors.Count == 0)
            {
                good.Add((row, fields!, status));
            }
            errors.AddRange(rowErrors);
            if (row.Row % 2_000 == 0)
            {
                ImportProgressScope.Report(ImportPhase.Checking, good.Count + errors.Count, total);
            }
        }

        // 2. Against the roster, a chunk at a time (one query per chunk, none per row): known ids update, new ids add,
        // Terminated offboards. First only to find what each row does and every error (all or nothing: a bad row anywhere
        // and nothing is written), with whatever the chunk changed dropped again.
        ImportProgressScope.Report(ImportPhase.Matching, 0, total);
        int added = 0, terminated = 0, updated = 0, unchanged = 0;
        var actions = new Dictionary<int, (ImportAction Action, IReadOnlyList<string> Changed)>();
        var done = 0;
        foreach (var chunk in good.Chunk(ApplyChunk))
        {
            var existing = await ExistingAsync(db, command.VendorId, chunk, ct);
            foreach (var (row, fields, status) in chunk)
            {
                var (action, changed, error) = Plan(existing.GetValueOrDefault(fields.EmployeeId), fields, status, context.Today);
                if (error is not null)
                {
                    errors.Add(new ImportError(row.Row, "employmentStatus", error));
                    continue;
                }
                actions[row.Row] = (action, changed);
                _ = action switch
                {
                    ImportAction.Add => added++,
                    ImportAction.Change => updated++,
                    ImportAction.Terminate => terminated++,
                    _ => unchanged++,
                };
            }
            db.ChangeTracker.Clear();
            ImportProgressScope.Report(ImportPhase.Matching, done += chunk.Length, total);
        }
        // A file with errors is never applied. Its dry run still goes on with the valid rows, so the report shows both the
        // errors to fix and what the rest of the file would do (the rules' outcomes and consequences included).
        if (errors.Count > 0 && !command.DryRun)
        {
            return Outcome<RosterImportReport>.Ok(Report(total, [], errors, command.DryRun) with
            {
                RowReports = RowReports(parsed.Rows, actions, errors.ToLookup(e => e.Row), Array.Empty<ImportViolation>().ToLookup(v => v.Row), Array.Empty<(int Row, string Text)>().ToLookup(c => c.Row, c => c.Text)),
            });
        }

        // 3. Then for real, a chunk at a time, each chunk saved through the gate in the command's one transaction (a failure
        // anywhere rolls every chunk back) and then forgotten: memory holds one chunk's people, history and audit events,
        // not the file's (a 100,000-row file is twenty saves of 5,000, with progress after each).
        ImportProgressScope.Report(ImportPhase.Saving, 0, total);
        if (errors.Count > 0)
        {
            good = good.Where(g => actions.ContainsKey(g.Row.Row)).ToList();
        }
        // The file's record first, in the same transaction: a second application of the same file racing this one meets the unique
        // index here, before any row is changed, and is refused like one that comes later.
        var importId = await RecordAsync(db, command, context, sha256, earlier, (total, added, updated, terminated), ct);
        if (importId is null)
        {
            return Outcome<RosterImportReport>.Conflict("Someone applied this same file to the roster a moment ago; nothing was changed. Reload the import to see it.");
        }
        var systems = await db.Systems.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var rowOfPerson = new Dictionary<Guid, int>();
        var violations = new List<ImportViolation>();
        var consequences = new List<(int Row, string Text)>();
        done = 0;
        foreach (var chunk in good.Chunk(ApplyChunk))
        {
            var chunkStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            // Only the rows the matching found on the roster are looked up again (none for a file of new people).
            var known = chunk.Where(c => actions[c.Row.Row].Action is not (ImportAction.Add or ImportAction.Unchanged)).ToArray();
            var existing = known.Length == 0 ? [] : await ExistingAsync(db, command.VendorId, known, ct);
            foreach (var (row, fields, status) in chunk)
            {
                if (actions[row.Row].Action == ImportAction.Unchanged)
                {
                    continue;
                }
                var person = existing.GetValueOrDefault(fields.EmployeeId) ?? Add(db, command.VendorId, fields);
                Plan(person, fields, status, context.Today);
                rowOfPerson[person.Id] = row.Row;
            }
            db.FactSource = FactSource.Imported;
            var before = db.Consequences.ToView();
            await db.SaveChangesAsync(ct);
            violations.AddRange(db.Outcomes
                .Where(o => o.Key is AccessGrant g && rowOfPerson.ContainsKey(g.PersonId))
                .SelectMany(o => o.Value.Select(v => new ImportViolation(rowOfPerson[((AccessGrant)o.Key).PersonId], v.RuleId, v.Severity, v.Message))));
            consequences.AddRange(Consequences(db, before, rowOfPerson, systems));
            db.Outcomes.Clear();
            db.ChangeTracker.Clear();
            Telemetry.ImportChunkSaved("roster", chunk.Length, chunkStarted);
            ImportProgressScope.Report(ImportPhase.Saving, done += chunk.Length, total);
        }
        var report = violations.OrderBy(v => v.Row).ThenBy(v => v.RuleId, StringComparer.Ordinal).ToList();
        return Outcome<RosterImportReport>.OkAfterSave(() =>
        {
            ImportProgressScope.Report(ImportPhase.Done, total, total);
            var rejected = errors.Select(e => e.Row).Distinct().Count();
            return new RosterImportReport(total, total - rejected, rejected, added, updated, terminated, unchanged, errors.OrderBy(e => e.Row).ToList(), report,
                db.Consequences.ToView(), command.DryRun, !command.DryRun)
            {
                RowReports = RowReports(parsed.Rows, actions, errors.ToLookup(e => e.Row), report.ToLookup(v => v.Row), consequences.ToLookup(c => c.Row, c => c.Text)),
                AlreadyApplied = earlier, Sha256 = sha256, ImportId = command.DryRun ? null : importId,
            };
        });
    }

    /// <summary>
    /// Records the file as applied (or applied again, on purpose) and saves the record through the gate (audited, event 3100/3101): its id,
    /// or null when a concurrent application of the same file committed first (the unique index on vendor and SHA-256). A dry run
    /// records it too and is rolled back with the rest, so its report is exactly what applying would do.
    /// </summary>
    private static async Task<Guid?> RecordAsync(ComplianceDbContext db, ImportRoster command, CommandContext context, string sha256,
        RosterImportPointer? earlier, (int Rows, int Added, int Updated, int Terminated) totals, CancellationToken ct)
    {
        RosterImportRecord record;
        if (earlier is not null)
        {
            record = await db.RosterImports.SingleAsync(r => r.Id == earlier.ImportId, ct);
            record.AppliedAgain(command.FileName, context.Now, NullIfEmpty(context.Actor.UserId), context.Actor.DisplayName);
        }
        else
        {
            record = new RosterImportRecord(Guid.CreateVersion7(), command.VendorId, sha256, command.FileName, context.Now,
                NullIfEmpty(context.Actor.UserId), context.Actor.DisplayName);
            db.RosterImports.Add(record);
        }
        record.Totals(totals.Rows, totals.Added, totals.Updated, totals.Terminated);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when ((e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException) is
                                  { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_roster_imports_vendor_id_sha256" })
        {
            return null;
        }
        db.ChangeTracker.Clear();
        return record.Id;
    }

    private static Guid? NullIfEmpty(Guid id) => id == Guid.Empty ? null : id;

    /// <summary>The people of a chunk's employee ids already on the vendor's roster (tracked), by employee id.</summary>
    private static async Task<Dictionary<string, Person>> ExistingAsync(ComplianceDbContext db, Guid vendorId,
        (RosterRow Row, PersonFields Fields, EmploymentStatus Status)[] chunk, CancellationToken ct)
    {
        var ids = chunk.Select(g => g.Fields.EmployeeId).ToList();
        return await db.People.Where(p => p.VendorId == vendorId && ids.Contains(p.EmployeeId)).ToDictionaryAsync(p => p.EmployeeId, StringComparer.Ordinal, ct);
    }

    private static Person Add(ComplianceDbContext db, Guid vendorId, PersonFields fields)
    {
        var person = new Person(Guid.CreateVersion7(), vendorId, fields.EmployeeId, fields.FullName.Trim(), fields.Email.Trim(), fields.EmployerType,
            fields.Citizenships, fields.CountryOfBirth, fields.UsLawfulPermanentResident, fields.WorkLocation.Country, fields.WorkLocation.City.Trim());
        db.People.Add(person);
        return person;
    }

    /// <summary>
    /// What a row does to the person on the roster with its employee id (null: none yet), applying it: the action, the
    /// columns it changes, or why the row cannot be applied.
    /// </summary>
    private static (ImportAction Action, IReadOnlyList<string> Changed, string? Error) Plan(Person? person, PersonFields fields, EmploymentStatus status, DateOnly today)
    {
        if (person is null)
        {
            return status == EmploymentStatus.Terminated
                ? (ImportAction.Error, [], $"{fields.EmployeeId} is not on the roster; there is nobody to offboard.")
                : (ImportAction.Add, [], null);
        }
        if (person.EmploymentStatus == EmploymentStatus.Terminated)
        {
            return status == EmploymentStatus.Active
                ? (ImportAction.Error, [], $"{fields.EmployeeId} was offboarded; a returning employee is added with a new employee id.")
                : (ImportAction.Unchanged, [], null);
        }
        var before = FactsOf(person);
        PersonFieldsMapping.Apply(person, fields);
        if (status == EmploymentStatus.Terminated)
        {
            person.Terminate(today);
        }
        var after = FactsOf(person);
        var changed = RosterFile.Columns.Where(c => before[c] != after[c]).ToList();
        var action = status == EmploymentStatus.Terminated ? ImportAction.Terminate : changed.Count > 0 ? ImportAction.Change : ImportAction.Unchanged;
        return (action, changed, null);
    }

    /// <summary>What the gate did, per row: the grants of the row's person it suspended, revoked or released, and the findings it opened or closed.</summary>
    private static List<(int Row, string Text)> Consequences(ComplianceDbContext db, ConsequencesView before, Dictionary<Guid, int> rowOfPerson,
        Dictionary<Guid, string> systems)
    {
        // Read after the save, when nothing can have changed since: without detection (it would compare every tracked row —
        // the import's thousands of people and their receipts — once per look).
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var grants = db.ChangeTracker.Entries<AccessGrant>().ToDictionary(e => e.Entity.Id, e => e.Entity);
        var findings = db.ChangeTracker.Entries<Domain.Findings.Finding>().ToDictionary(e => e.Entity.Id, e => e.Entity);
        db.ChangeTracker.AutoDetectChangesEnabled = detect;
        var list = new List<(int Row, string Text)>();
        void Grants(IEnumerable<Guid> ids, string verb)
        {
            foreach (var id in ids)
            {
                if (grants.TryGetValue(id, out var g) && rowOfPerson.TryGetValue(g.PersonId, out var row))
                {
                    list.Add((row, $"{verb} the {Words.Of(g.AccessType).ToLowerInvariant()} grant on {systems.GetValueOrDefault(g.SystemId, "a system")}"));
                }
            }
        }
        // Only what this chunk's save added to the consequences (they accumulate over the import's chunks).
        var now = db.Consequences;
        Grants(now.SuspendedGrants.Skip(before.SuspendedGrants.Count), "Suspends");
        Grants(now.RevokedGrants.Skip(before.RevokedGrants.Count), "Revokes");
        Grants(now.ReactivatedGrants.Skip(before.ReactivatedGrants.Count), "Releases");
        foreach (var (ids, verb) in new[]
                 {
                     (now.FindingsOpened.Skip(before.FindingsOpened.Count), "Opens"), (now.FindingsClosed.Skip(before.FindingsClosed.Count), "Closes"),
                 })
        {
            foreach (var id in ids)
            {
                if (findings.TryGetValue(id, out var f) && rowOfPerson.TryGetValue(f.PersonId, out var row))
                {
                    list.Add((row, $"{verb} a {f.RuleId} finding"));
                }
            }
        }
        return list;
    }

    private static List<ImportRowReport> RowReports(IReadOnlyList<RosterRow> rows, Dictionary<int, (ImportAction Action, IReadOnlyList<string> Changed)> actions,
        ILookup<int, ImportError> errors, ILookup<int, ImportViolation> outcomes, ILookup<int, string> consequences) =>
        rows.Select(r =>
        {
            var rowErrors = errors[r.Row].ToList();
            var (action, changed) = rowErrors.Count > 0 ? (ImportAction.Error, []) : actions.GetValueOrDefault(r.Row, (ImportAction.Error, []));
            return new ImportRowReport(r.Row, r.Cells.GetValueOrDefault("employeeId", ""), r.Cells.GetValueOrDefault("fullName", ""), action, changed,
                rowErrors, outcomes[r.Row].ToList(), consequences[r.Row].ToList());
        }).ToList();

    /// <summary>A person's roster columns as text, to tell which columns a row changes.</summary>
    private static Dictionary<string, string> FactsOf(Person p) => new(StringComparer.Ordinal)
    {
        ["employeeId"] = p.EmployeeId, ["fullName"] = p.FullName, ["email"] = p.Email, ["employerType"] = p.EmployerType.ToString(),
        ["citizenships"] = string.Join(';', p.Citizenships), ["countryOfBirth"] = p.CountryOfBirth,
        ["usLawfulPermanentResident"] = p.UsLawfulPermanentResident.ToString(), ["workCountry"] = p.WorkCountry, ["workCity"] = p.WorkCity,
        ["investigationTier"] = p.InvestigationTier.ToString(), ["adjudicatedOn"] = $"{p.AdjudicatedOn:yyyy-MM-dd}",
        ["continuousVetting"] = p.ContinuousVetting.ToString(), ["clearance"] = p.Clearance.ToString(), ["ndaSignedOn"] = $"{p.NdaSignedOn:yyyy-MM-dd}",
        ["escortQualification"] = p.EscortQualification.ToString(), ["escortTrainingOn"] = $"{p.EscortTrainingOn:yyyy-MM-dd}",
        ["employmentStatus"] = p.EmploymentStatus.ToString(),
    };

    private static RosterImportReport Report(int rows, IReadOnlyList<ImportViolation> violations, IReadOnlyList<ImportError> errors, bool dryRun)
    {
        var rejected = errors.Where(e => e.Row > 1).Select(e => e.Row).Distinct().Count();
        return new RosterImportReport(rows, errors.Any(e => e.Row <= 1) ? 0 : rows - rejected, errors.Any(e => e.Row <= 1) ? rows : rejected,
            0, 0, 0, 0, errors.OrderBy(e => e.Row).ToList(), violations, new ConsequencesView([], [], [], [], []), dryRun, false);
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>One row's cells as person fields, with an error per cell that cannot be read or is not valid.</summary>
    private static (PersonFields? Fields, EmploymentStatus Status, List<ImportError> Errors) Convert(RosterRow row)
    {
        var errors = new List<ImportError>();
        string Text(string column) => row.Cells.GetValueOrDefault(column, "");
        foreach (var (column, value) in row.Cells.Where(c => RosterFile.LooksLikeFormula(c.Value)))
        {
            errors.Add(new ImportError(row.Row, column, "The cell starts like a spreadsheet formula (=, +, -, @, a tab or a line break); enter the value as plain text."));
        }
        foreach (var (column, _) in row.Cells.Where(c => c.Value.Contains('\0', StringComparison.Ordinal)))
        {
            // PostgreSQL cannot store a NUL character: said here, per cell, rather than failing the whole save.
            errors.Add(new ImportError(row.Row, column, "The cell holds a NUL character (a zero byte); remove it and import the file again."));
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
