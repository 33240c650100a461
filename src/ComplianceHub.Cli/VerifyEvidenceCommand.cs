using ComplianceHub.Core.Evidence;

namespace ComplianceHub.Cli;

/// <summary>
/// <c>verify-evidence &lt;zip&gt;</c>: checks an evidence package offline — no configuration, no database — and prints
/// "OK …" (exit 0), every problem found (exit 1), or why the file could not be checked at all (exit 2).
/// </summary>
public static class VerifyEvidenceCommand
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Unusable = 2;

    public static int Run(string[] arguments, TextWriter output, TextWriter error)
    {
        if (arguments.Length != 1 || string.IsNullOrWhiteSpace(arguments[0]))
        {
            error.WriteLine("verify-evidence needs exactly one argument: the path of the evidence package (.zip).");
            return Unusable;
        }
        var path = arguments[0];
        EvidenceVerification result;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            result = EvidenceVerifier.Verify(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"cannot read '{path}': {ex.Message}");
            return Unusable;
        }
        if (!result.IsZip)
        {
            error.WriteLine($"'{path}' is not an evidence package: {string.Join(" ", result.Problems.Select(p => p.Message))}");
            return Unusable;
        }
        if (result.Valid)
        {
            output.WriteLine($"OK {Path.GetFileName(path)}: {result.Summary}");
            return Valid;
        }
        error.WriteLine($"FAILED {Path.GetFileName(path)}: {result.Problems.Count} problem(s)");
        foreach (var problem in result.Problems)
        {
            error.WriteLine($"  - {problem}");
        }
        return Invalid;
    }
}
