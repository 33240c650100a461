using System.Globalization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Cli;

/// <summary>
/// <c>verify-state</c>: compares the audited tables with the audit trail (<see cref="StateVerifier"/>, ADR 0031) as the server
/// operator, printing each table's rows, then every row the trail does not explain, in words. Exit 0 when every row is
/// explained, 1 when something is not, 2 when the verification could not run (another one is running, or the database failed).
/// The run is recorded in the trail (event 8400) like one started from the portal.
/// </summary>
public static class VerifyStateCommand
{
    public const int Clean = 0;
    public const int Unexplained = 1;
    public const int Unusable = 2;

    public static async Task<int> RunAsync(StateVerifier verifier, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var listed = 0L;
        StateVerification result;
        try
        {
            result = await verifier.VerifyAsync(Actor.ServerOperator,
                new Lines(error),
                (batch, _) =>
                {
                    foreach (var d in batch)
                    {
                        if (listed++ == 0)
                        {
                            output.WriteLine("Rows the trail does not explain:");
                        }
                        output.WriteLine($"  {d.Explanation}");
                    }
                    return Task.CompletedTask;
                }, ct);
        }
        catch (StateVerificationBusyException busy)
        {
            error.WriteLine($"verify-state: {busy.Message}");
            return Unusable;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Compared {result.Rows:N0} rows of {result.Tables.Count} tables with the audit trail (events 1 to {result.TrailHead:N0}):"));
        foreach (var t in result.Tables)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Name,-20} {t.Rows,12:N0} rows  {t.Discrepancies,8:N0} unexplained"));
        }
        output.WriteLine(result.Clean
            ? "Clean: the trail explains every row."
            : string.Create(CultureInfo.InvariantCulture, $"{result.Discrepancies:N0} unexplained (fingerprint {result.Fingerprint}); the run is audit event {AuditEventTypes.StateVerified}, subject {result.RunId}."));
        return result.Clean ? Clean : Unexplained;
    }

    /// <summary>Progress written as it is reported (<see cref="Progress{T}"/> would post it to the thread pool, out of order).</summary>
    private sealed class Lines(TextWriter error) : IProgress<StateProgress>
    {
        public void Report(StateProgress value) => error.WriteLine($"  {value.Phase}…");
    }
}
