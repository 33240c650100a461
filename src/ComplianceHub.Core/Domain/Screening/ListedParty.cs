namespace ComplianceHub.Core.Domain.Screening;

/// <summary>One row of the Consolidated Screening List CSV, as parsed.</summary>
public sealed record ListedParty(int Row, string Key, string Source, string? EntityNumber, string? Type, string? Programs, string Name,
    IReadOnlyList<string> AltNames, string? Addresses, IReadOnlyList<string> Countries, string? FederalRegisterNotice, string? StartDate,
    string? EndDate, string? SourceListUrl);
