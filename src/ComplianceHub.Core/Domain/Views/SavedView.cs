namespace ComplianceHub.Core.Domain.Views;

/// <summary>
/// One person's saved view of one grid: a name, the grid's address query (filters, sort, page size — never the page number) and the
/// columns they hid. It belongs to the account that saved it and nobody else reads or changes it (ADR 0034). At most one view of a
/// grid is the account's default, opened when the grid is visited without a query.
/// </summary>
public sealed class SavedView
{
    /// <summary>The longest name.</summary>
    public const int NameLength = 80;

    /// <summary>The longest query (an address stays well under browsers' limits).</summary>
    public const int QueryLength = 2000;

    private SavedView() { }

    public SavedView(Guid id, Guid userId, string grid, string name, string query, IReadOnlyList<string> hiddenColumns, DateTimeOffset at)
    {
        Id = id;
        UserId = userId;
        Grid = grid;
        CreatedAt = at;
        Change(name, query, hiddenColumns, at);
    }

    public Guid Id { get; private set; }

    /// <summary>The account whose view it is.</summary>
    public Guid UserId { get; private set; }

    /// <summary>The grid's key (<see cref="SavedViewGrids"/>).</summary>
    public string Grid { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary>The grid's query string without the leading <c>?</c>, the page number and the hidden columns.</summary>
    public string Query { get; private set; } = "";

    /// <summary>The grid's columns the person hid, by the grid's column keys.</summary>
    public List<string> HiddenColumns { get; private set; } = [];
    public bool IsDefault { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Saves the grid's current state under the view (saving again under the same name replaces it).</summary>
    public void Change(string name, string query, IReadOnlyList<string> hiddenColumns, DateTimeOffset at)
    {
        Name = name;
        Query = query;
        HiddenColumns = [.. hiddenColumns];
        UpdatedAt = at;
    }

    public void Rename(string name, DateTimeOffset at)
    {
        Name = name;
        UpdatedAt = at;
    }

    public void MarkDefault(bool isDefault, DateTimeOffset at)
    {
        if (IsDefault != isDefault)
        {
            IsDefault = isDefault;
            UpdatedAt = at;
        }
    }
}

/// <summary>The grids a view can be saved for, by key: the portal's main lists.</summary>
public static class SavedViewGrids
{
    public const string Roster = "roster";
    public const string Findings = "findings";
    public const string Approvals = "approvals";
    public const string Screening = "screening";
    public const string Contributions = "contributions";
    public const string Requests = "requests";
    public const string Attestations = "attestations";
    public const string Audit = "audit";
    public const string Escorts = "escorts";
    public const string Sessions = "sessions";
    public const string Systems = "systems";
    public const string Vendors = "vendors";
    public const string Accounts = "accounts";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Roster, Findings, Approvals, Screening, Contributions, Requests, Attestations, Audit, Escorts, Sessions, Systems, Vendors, Accounts,
    };
}
