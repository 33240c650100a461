using ComplianceHub.Cli;

// The standalone evidence package verifier: the CLI's verify-evidence, alone (docs/audit/evidence-package.md).
if (args is ["-h" or "--help" or "help"])
{
    Console.WriteLine($"Usage: {VerifyEvidenceCommand.Usage}");
    Console.WriteLine("Exit 0: the package verifies; 1: problems found (each listed); 2: unreadable file or key, or a usage error.");
    return 0;
}
return VerifyEvidenceCommand.Run(args, Console.Out, Console.Error);
