namespace ComplianceHub.Core.Data;

/// <summary>
/// The two PostgreSQL roles of an installation (docs/adr/0003-database-naming-and-roles.md).
/// </summary>
public static class DatabaseRoles
{
    /// <summary>Owns the database and its schema; runs migrations. The portal never connects as it.</summary>
    public const string Owner = "compliancehub_owner";

    /// <summary>What the portal and the CLI's data commands connect as: SELECT/INSERT/UPDATE/DELETE only.</summary>
    public const string App = "compliancehub_app";
}

/// <summary>Names of the connection strings in configuration (<c>ConnectionStrings:*</c>).</summary>
public static class ConnectionStringNames
{
    /// <summary>The application role's connection; used by the portal, the seed and every data command.</summary>
    public const string App = "ComplianceHub";

    /// <summary>The owner role's connection; used only by <c>migrate</c>.</summary>
    public const string Owner = "ComplianceHubOwner";

    /// <summary>A superuser's connection to the maintenance database; used only by <c>provision</c>.</summary>
    public const string Superuser = "PostgresSuperuser";
}
