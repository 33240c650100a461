using System.Globalization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Cli;

/// <summary>
/// <c>verify-chain</c>: walks the whole audit chain as the server operator (<see cref="AuditChainVerifier"/>, ADR 0031), as the
/// audit page does, and prints the head it reached, so that a restore (<c>scripts/restore.sh</c>) can compare it with the head its
/// backup recorded. Exit 0 verified, 1 a problem found (named in words), 2 could not run. Reads only: nothing is recorded.
/// </summary>
public static class VerifyChainCommand
{
    public const int Verified = 0;
    public const int Broken = 1;

    public static async Task<int> RunAsync(AuditChainVerifier verifier, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var result = await verifier.VerifyAsync(Actor.ServerOperator, ct);
        var c = result.Checkpoints;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"events checked: {result.Events}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"head: event {result.Events}, hash {result.HeadHash}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checkpoints: {c.Checked} of {c.Total} good; {c.EventsAfterLastValid} event(s) after the last good one; checkpoint file: {c.File.State}"));
        if (result.Valid)
        {
            output.WriteLine("the audit chain verifies");
            return Verified;
        }
        if (c.Problem is { } problem)
        {
            error.WriteLine($"problem kind: {problem.Kind}");
        }
        error.WriteLine($"error: the audit chain does not verify: {result.Problem}");
        return Broken;
    }
}
