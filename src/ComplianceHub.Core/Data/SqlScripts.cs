using System.Reflection;

namespace ComplianceHub.Core.Data;

/// <summary>
/// Versioned SQL (grants, triggers) kept as files under Data/Sql and embedded in the assembly, so a migration
/// applies exactly the reviewed text.
/// </summary>
public static class SqlScripts
{
    /// <summary>The text of <c>Data/Sql/<paramref name="fileName"/></c>.</summary>
    public static string Read(string fileName)
    {
        var assembly = typeof(SqlScripts).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .SingleOrDefault(n => n.EndsWith(".Data.Sql." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"SQL script {fileName} is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
