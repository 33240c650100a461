using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Domain;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// The fact history of the scale population in the one-row-per-change shape (<c>person_fact_history</c>: a jsonb object of
/// the attributes a change set): one row when a person is added (every fact, as the gate records a new person), and one per
/// later change — a move, a termination, the latest attestation. Written by binary COPY in the batch's transaction.
/// </summary>
internal static class ScaleFactHistory
{
    private static readonly JsonSerializerOptions FactJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private sealed record Row(Guid PersonId, string Facts, DateOnly EffectiveOn, string Source, DateTimeOffset RecordedAt);

    public static async Task<long> WriteAsync(NpgsqlConnection connection, IReadOnlyList<PersonPlan> people, AuditActor recorder, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY person_fact_history (id, person_id, facts, effective_on, source, recorded_by, recorded_by_name, recorded_at) FROM STDIN (FORMAT BINARY)", ct);
        copy.Timeout = TimeSpan.FromMinutes(15);
        long written = 0;
        foreach (var row in people.SelectMany(RowsOf))
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(Guid.CreateVersion7(row.RecordedAt), NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(row.PersonId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(row.Facts, NpgsqlDbType.Jsonb, ct);
            await copy.WriteAsync(row.EffectiveOn, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(row.Source, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(recorder.UserId!.Value, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(recorder.Name, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(row.RecordedAt, NpgsqlDbType.TimestampTz, ct);
            written++;
        }
        await copy.CompleteAsync(ct);
        return written;
    }

    private static IEnumerable<Row> RowsOf(PersonPlan p)
    {
        yield return new Row(p.Id, Facts(
        [
            ("employeeId", p.EmployeeId), ("fullName", p.FullName), ("email", p.Email), ("employerType", p.Employer), ("citizenships", p.Citizenships),
            ("countryOfBirth", p.Birth), ("usLawfulPermanentResident", p.Lpr), ("workCountry", p.Moved?.Country ?? p.WorkCountry),
            ("workCity", p.Moved?.City ?? p.WorkCity), ("investigationTier", p.Tier), ("adjudicatedOn", p.AdjudicatedOn),
            ("continuousVetting", p.ContinuousVetting), ("clearance", p.Clearance), ("ndaSignedOn", p.NdaSignedOn),
            ("escortQualification", p.EscortQualification), ("escortTrainingOn", p.EscortTrainingOn), ("employmentStatus", EmploymentStatus.Active),
            ("terminatedOn", null), ("locationAttestedOn", p.CreatedOn), ("screeningStatus", ScreeningStatus.Clear), ("screeningMatch", null),
        ]), p.CreatedOn, "Imported", p.CreatedAt);
        if (p.Moved is { } moved)
        {
            yield return new Row(p.Id, Facts([("workCountry", p.WorkCountry), ("workCity", p.WorkCity)]), DateOnly.FromDateTime(moved.At.UtcDateTime),
                "OfficerVerified", moved.At);
        }
        if (p.AttestedOn > p.CreatedOn)
        {
            var at = new DateTimeOffset(p.AttestedOn.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
            yield return new Row(p.Id, Facts([("locationAttestedOn", p.AttestedOn)]), p.AttestedOn, "Attested", at);
        }
        if (p.TerminatedAt is { } left)
        {
            yield return new Row(p.Id, Facts([("employmentStatus", EmploymentStatus.Terminated), ("terminatedOn", p.TerminatedOn)]), p.TerminatedOn!.Value,
                "OfficerVerified", left);
        }
    }

    private static string Facts(IEnumerable<(string Name, object? Value)> facts)
    {
        var json = new JsonObject();
        foreach (var (name, value) in facts)
        {
            json[name] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), FactJson);
        }
        return json.ToJsonString();
    }
}
