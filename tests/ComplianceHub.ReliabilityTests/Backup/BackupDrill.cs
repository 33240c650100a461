using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.Backup;

/// <summary>What the backup tests share: scripts/backup.sh and scripts/restore.sh run as an operator runs them, a recipient
/// certificate made with openssl, a change through the API, and the audit chain's head read from a cluster.</summary>
public static class BackupDrill
{
    /// <summary>Runs <c>scripts/NAME</c> with bash; the output (stdout and stderr together), the exit code and how long it took.</summary>
    public static async Task<(CommandResult Result, double Seconds)> RunScriptAsync(string name, string workFolder, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        var result = await Shell.RunAsync("bash", [Path.Combine(Repository.Scripts, name), .. args],
            new Dictionary<string, string?> { ["TMPDIR"] = workFolder, ["DOTNET_NOLOGO"] = "1" }, timeout: TimeSpan.FromMinutes(5));
        return (result, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The archive folders a backup.sh run wrote ("archive: …" lines), by part: db, keys or base.</summary>
    public static string Archive(CommandResult backup, string part) =>
        backup.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("archive: ", StringComparison.Ordinal)).Select(l => l[9..])
            .SingleOrDefault(a => Path.GetFileName(a).StartsWith($"compliancehub-{part}-", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"backup.sh wrote no {part} archive:\n{backup.Output}");

    /// <summary>A self-signed RSA 3072 certificate and its private key, as an agency's backup certificate (FOLDER/NAME.crt, NAME.key).</summary>
    public static async Task<(string Certificate, string Key)> RecipientAsync(string folder, string name)
    {
        var (certificate, key) = (Path.Combine(folder, $"{name}.crt"), Path.Combine(folder, $"{name}.key"));
        (await Shell.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", key, "-out", certificate,
            "-subj", $"/CN=ComplianceHub backup {name}", "-days", "30"])).EnsureSuccess("openssl req");
        return (certificate, key);
    }

    /// <summary>Adds a person to Acme's roster through the API as Acme's representative; the person's id.</summary>
    public static async Task<Guid> AddPersonAsync(HttpClient rep, string employeeId)
    {
        using var response = await rep.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", new
        {
            employeeId, fullName = $"Person {employeeId}", email = $"{employeeId.ToLowerInvariant()}@acme.example", employerType = "VendorEmployee",
            citizenships = new[] { "US" }, countryOfBirth = "US", usLawfulPermanentResident = false, workLocation = new { country = "US", city = "Reston" },
            investigationTier = "None", continuousVetting = false, clearance = "None", escortQualification = "None",
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"adding {employeeId}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
    }

    /// <summary>The audit chain's head on <paramref name="connectionString"/>: the last event's sequence number and hash.</summary>
    public static async Task<(long Sequence, string Hash)> HeadAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the audit trail is empty");
        return (reader.GetInt64(0), reader.GetString(1));
    }

    /// <summary>How many people with this employee id the database holds.</summary>
    public static async Task<long> PeopleWithAsync(string connectionString, string employeeId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM people WHERE employee_id = @id", connection);
        command.Parameters.AddWithValue("id", employeeId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The size of a folder's files, in bytes.</summary>
    public static long Size(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
