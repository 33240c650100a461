using ComplianceHub.Core.Data;

namespace ComplianceHub.Cli;

/// <summary>
/// <c>migrate [--recreate-retired]</c>: applies the pending migrations as the owner role. A database whose history names
/// migrations this build does not have (made before they were squashed into one baseline, ADR 0032) is refused with exit
/// code 3 and nothing changed; with <c>--recreate-retired</c> in Development (the demo, <c>scripts/run.sh</c>) it is dropped,
/// provisioned again and migrated instead, and the checkpoint file of its chain, if any, is moved aside (its checkpoints name
/// events the new database never had). Outside Development that option is refused the same way.
/// </summary>
public static class MigrateCommand
{
    public const int Migrated = 0;
    public const int RetiredMigrations = 3;

    /// <summary>Exit code of <c>migrate --check</c> when the database lacks migrations of this build (<c>migrate</c> applies them).</summary>
    public const int Pending = 4;

    /// <summary>
    /// <c>migrate --check</c>: says, changing nothing, whether the database is at this build's migration head (exit 0), behind it
    /// (exit 4: run <c>migrate</c>) or built by migrations this build does not have (exit 3: a newer build, or retired ones).
    /// </summary>
    public static async Task<int> CheckAsync(string owner, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var status = await DatabaseMigrator.StatusAsync(owner, ct);
        output.WriteLine($"database migration head: {status.DatabaseHead ?? "(none)"}");
        output.WriteLine($"this build's migration head: {status.BuildHead ?? "(none)"}");
        if (status.Unknown.Count > 0)
        {
            error.WriteLine($"error: the database names {status.Unknown.Count} migration(s) this build does not have ({string.Join(", ", status.Unknown)}): "
                + "it was made by a newer build (run that build) or by migrations squashed into one baseline (docs/operations.md, "
                + "\"A database made by retired migrations\"). Nothing was changed.");
            return RetiredMigrations;
        }
        if (status.Pending.Count > 0)
        {
            output.WriteLine($"{status.Pending.Count} migration(s) of this build are not applied ({string.Join(", ", status.Pending)}): "
                + "run migrate before the portal starts.");
            return Pending;
        }
        output.WriteLine("the database is at this build's migration head");
        return Migrated;
    }

    /// <param name="superuser">The superuser connection, needed only to recreate a database (<paramref name="recreateRetired"/>).</param>
    /// <param name="checkpointFile">The configured checkpoint file (<c>Audit:CheckpointLogPath</c>), moved aside when the database is recreated.</param>
    public static async Task<int> RunAsync(string owner, Func<string> superuser, bool recreateRetired, bool development,
        string? checkpointFile, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        try
        {
            IReadOnlyList<string> applied;
            if (recreateRetired)
            {
                var retired = await DatabaseMigrator.RetiredMigrationsAsync(owner, ct);
                var recreate = retired.Count > 0 && development;
                if (recreate)
                {
                    output.WriteLine($"The database was built by {retired.Count} migration(s) this build does not have ({retired[0]} … "
                        + $"{retired[^1]}): the migrations were squashed into one baseline (docs/adr/0032-one-baseline-migration.md). "
                        + "It holds demo data (Development): dropping it and building it again.");
                }
                (_, applied) = await DatabaseMigrator.MigrateRecreatingRetiredAsync(recreate ? superuser() : "", owner, development, ct);
                if (recreate && checkpointFile is not null && File.Exists(checkpointFile))
                {
                    var aside = $"{checkpointFile}.dropped-{TimeProvider.System.GetUtcNow():yyyyMMddHHmmss}";
                    File.Move(checkpointFile, aside);
                    output.WriteLine($"The checkpoint file of the dropped database's audit chain is now {aside}.");
                }
            }
            else
            {
                applied = await DatabaseMigrator.MigrateAsync(owner, ct);
            }
            output.WriteLine(applied.Count == 0
                ? "database is up to date"
                : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return Migrated;
        }
        catch (RetiredMigrationsException retired)
        {
            error.WriteLine($"error: {retired.Message}");
            return RetiredMigrations;
        }
    }
}
