namespace ComplianceHub.Core.Domain.Contracts;

/// <summary>
/// A contracting office: the DoD activity that awards and administers contracts (DESIGN.md §2: a contracting officer acts for
/// "all vendors of the contracting office"). Its contracting officers see and act on the vendors whose contracts it holds, and
/// an auditor may be scoped to it. Known by its DoD Activity Address Code (DoDAAC), the six characters that begin the numbers
/// of the contracts it awards (HC1028 for DITCO-Scott, N00039 for NAVWAR).
/// </summary>
public sealed class ContractingOffice
{
    private ContractingOffice() { }

    public ContractingOffice(Guid id, string code, string name)
    {
        Id = id;
        Code = code;
        Name = name;
    }

    public Guid Id { get; private set; }

    /// <summary>DoD Activity Address Code: six capital letters and digits.</summary>
    public string Code { get; private set; } = "";

    /// <summary>The office's name, e.g. "DITCO-Scott".</summary>
    public string Name { get; private set; } = "";

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    /// <summary>Corrects the office's name and code.</summary>
    public void Change(string code, string name)
    {
        Code = code;
        Name = name;
    }
}
