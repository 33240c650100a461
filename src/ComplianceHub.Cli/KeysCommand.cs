using ComplianceHub.Core.Security;

namespace ComplianceHub.Cli;

/// <summary>
/// <c>keys create --folder &lt;dir&gt;</c> writes the portal's key files (<see cref="KeyFiles.Create"/>); <c>keys show --folder
/// &lt;dir&gt;</c> prints the audit signing key's id and public key, what an auditor is given out of band. Offline: no
/// configuration, no database.
/// </summary>
public static class KeysCommand
{
    public static int Run(string[] arguments, TextWriter output, TextWriter error)
    {
        var folderAt = Array.IndexOf(arguments, "--folder");
        var folder = folderAt >= 0 && folderAt + 1 < arguments.Length ? arguments[folderAt + 1] : null;
        if (arguments.Length == 0 || arguments[0] is not ("create" or "show") || string.IsNullOrWhiteSpace(folder))
        {
            error.WriteLine("usage: keys create --folder <dir> | keys show --folder <dir>");
            return 2;
        }
        try
        {
            if (arguments[0] == "create")
            {
                var written = KeyFiles.Create(folder);
                output.WriteLine(written.Count == 0
                    ? $"the key files in {folder} already exist; kept them"
                    : $"wrote {string.Join(", ", written.Select(Path.GetFileName))} in {folder}");
            }
            using var key = KeyFiles.InFolder(folder).LoadAuditSigningKey();
            output.WriteLine($"audit signing key id: {key.KeyId}");
            if (arguments[0] == "show")
            {
                output.Write(key.PublicKeyPem);
                output.WriteLine();
            }
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
