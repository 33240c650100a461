namespace ComplianceHub.Core.Gate;

/// <summary>
/// Stored rows a change's handler has already looked for, in its own first read, and found none of — so the gate's steps
/// need not ask again (issue 16: a grant request's escort assignments and code contributions, each a round trip of its own
/// for what is nearly always nothing). It only ever says "none was stored when the handler looked, in this transaction";
/// rows the change itself adds, or saved in an earlier save of the same context, are tracked and the steps still count them.
/// Reset with the context's gate state, so it never outlives the change.
/// </summary>
internal sealed class KnownEmpty
{
    /// <summary>(person, system) pairs with no stored escort assignment.</summary>
    public HashSet<(Guid Person, Guid System)> EscortAssignments { get; } = [];

    /// <summary>People with no stored code contribution attributed to them.</summary>
    public HashSet<Guid> CodeContributions { get; } = [];

    /// <summary>Grants with no stored open (or acknowledged) finding: a bulk decision's grants, asked about in one query.</summary>
    public HashSet<Guid> GrantFindings { get; } = [];

    public void Clear()
    {
        EscortAssignments.Clear();
        CodeContributions.Clear();
        GrantFindings.Clear();
    }
}
