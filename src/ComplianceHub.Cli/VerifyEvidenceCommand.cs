using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Cli;

/// <summary>
/// <c>verify-evidence &lt;zip&gt; [--public-key &lt;pem&gt;]…</c>: checks an evidence package offline — no configuration, no
/// database — and prints "OK …" (exit 0), every problem found (exit 1), or why the file could not be checked at all (exit 2).
/// With <c>--public-key</c> (the audit signing key given out of band; repeated for keys rotated out) the package must be signed
/// by it: an unsigned package, or one signed by another key, fails. Without, a signed package is checked against the key it
/// carries and the output says that this shows integrity, not origin. Shared by the CLI and the standalone verifier.
/// </summary>
public static class VerifyEvidenceCommand
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Unusable = 2;

    public const string Usage = "verify-evidence <package.zip> [--public-key <audit-signing.pub.pem>]... (repeat --public-key for keys rotated out)";

    public static int Run(string[] arguments, TextWriter output, TextWriter error)
    {
        string? path = null;
        var keyFiles = new List<string>();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] == "--public-key" && i + 1 < arguments.Length && !string.IsNullOrWhiteSpace(arguments[i + 1]))
            {
                keyFiles.Add(arguments[++i]);
            }
            else if (path is null && !arguments[i].StartsWith("--", StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(arguments[i]))
            {
                path = arguments[i];
            }
            else
            {
                error.WriteLine($"usage: {Usage}");
                return Unusable;
            }
        }
        if (path is null)
        {
            error.WriteLine($"verify-evidence needs the path of the evidence package (.zip). usage: {Usage}");
            return Unusable;
        }

        var keys = new List<AuditSigningKey>();
        try
        {
            foreach (var file in keyFiles)
            {
                keys.Add(AuditSigningKey.Load(file));
            }
            EvidenceVerification result;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                result = EvidenceVerifier.Verify(stream, keys);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine($"cannot read '{path}': {ex.Message}");
                return Unusable;
            }
            return Report(Path.GetFileName(path), result, output, error);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"cannot use the public key: {ex.Message}");
            return Unusable;
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    private static int Report(string name, EvidenceVerification result, TextWriter output, TextWriter error)
    {
        if (!result.IsZip)
        {
            error.WriteLine($"'{name}' is not an evidence package: {string.Join(" ", result.Problems.Select(p => p.Message))}");
            return Unusable;
        }
        if (result.Valid)
        {
            output.WriteLine($"OK {name}: {result.Summary}");
            foreach (var warning in result.Warnings)
            {
                output.WriteLine($"  warning: {warning}");
            }
            return Valid;
        }
        error.WriteLine($"FAILED {name}: {result.Problems.Count} problem(s)");
        if (result.FirstBadSequence is { } bad)
        {
            error.WriteLine($"  first bad sequence: {bad}");
        }
        if (result.FirstForgedRange is { } forged)
        {
            error.WriteLine($"  first forged range: sequences {forged.From}–{forged.To}");
        }
        foreach (var problem in result.Problems)
        {
            error.WriteLine($"  - {problem}");
        }
        foreach (var warning in result.Warnings)
        {
            error.WriteLine($"  warning: {warning}");
        }
        return Invalid;
    }
}
