namespace ComplianceHub.Core.Domain.Contributions;

/// <summary>Where a contribution record came from.</summary>
public enum ContributionSource { GitLog, Csv }

/// <summary>How a contribution's author was matched to a person of the vendor's roster.</summary>
public enum ContributionMatch
{
    /// <summary>No person of the vendor has the author's e-mail as their address or as an alias.</summary>
    Unmatched,

    /// <summary>More than one person of the vendor has the author's e-mail as their address; an alias decides.</summary>
    Ambiguous,

    /// <summary>The author's e-mail is the person's roster e-mail.</summary>
    Email,

    /// <summary>The author's e-mail is one of the person's known aliases.</summary>
    Alias,
}

/// <summary>A reviewer's verdict on a contribution (DESIGN.md: the audit of code made under escort).</summary>
public enum ReviewVerdict { Unreviewed, NoConcern, NeedsRemediation, Escalated }

/// <summary>
/// A change (commit, pull request, ticket) made to a DoD system's code by a vendor's person (DESIGN.md section 3): the
/// repository and identifier, when, who by (as the tool recorded the author), the person it is matched to, the risk flags
/// computed from that person's facts as they stood that day, and a reviewer's verdict.
/// </summary>
/// <remarks>
/// The match and the flags are derived state: the gate recomputes them whenever the facts they read change (the person's
/// facts, grants, escorted sessions, findings, aliases, the policy) — <see cref="Attribute"/> and <see cref="Flag"/> are
/// called only from there, and the receipt trigger refuses a row written any other way.
/// </remarks>
public sealed class CodeContribution
{
    private CodeContribution() { }

    public CodeContribution(Guid id, Guid vendorId, Guid systemId, string repository, string externalId, string authorName, string authorEmail,
        DateTimeOffset contributedAt, string title, string? url, ContributionSource source, Guid importedBy, string importedByName, DateTimeOffset importedAt)
    {
        Id = id;
        VendorId = vendorId;
        SystemId = systemId;
        Repository = repository;
        ExternalId = externalId;
        AuthorName = authorName;
        AuthorEmail = NormalizeEmail(authorEmail);
        ContributedAt = contributedAt.ToUniversalTime();
        Title = title;
        Url = url;
        Source = source;
        ImportedBy = importedBy;
        ImportedByName = importedByName;
        ImportedAt = importedAt;
        Match = ContributionMatch.Unmatched;
        ReviewVerdict = ReviewVerdict.Unreviewed;
    }

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }
    public Guid SystemId { get; private set; }

    /// <summary>The repository's name as the importer gave it (e.g. <c>portal-infra</c>).</summary>
    public string Repository { get; private set; } = "";

    /// <summary>The change's identifier in its repository: a commit hash, a pull request or ticket number.</summary>
    public string ExternalId { get; private set; } = "";
    public string AuthorName { get; private set; } = "";

    /// <summary>The author's e-mail, trimmed and lower-case (the key that matches people).</summary>
    public string AuthorEmail { get; private set; } = "";

    /// <summary>When the change was authored, in UTC.</summary>
    public DateTimeOffset ContributedAt { get; private set; }
    public string Title { get; private set; } = "";
    public string? Url { get; private set; }
    public ContributionSource Source { get; private set; }
    public Guid ImportedBy { get; private set; }
    public string ImportedByName { get; private set; } = "";
    public DateTimeOffset ImportedAt { get; private set; }

    /// <summary>The person the author is matched to (null while unmatched or ambiguous).</summary>
    public Guid? PersonId { get; private set; }
    public ContributionMatch Match { get; private set; }

    /// <summary>The risk flags as JSON (code, weight, message, facts), computed as of <see cref="ContributedAt"/>.</summary>
    public string Flags { get; private set; } = "[]";

    /// <summary>The sum of the flags' weights: the review queue's order.</summary>
    public int RiskScore { get; private set; }

    /// <summary>
    /// The policy version in force when the flags last changed, and when. A re-evaluation that finds the same flags leaves the
    /// row (and the audit trail) untouched, so a policy activation records only the contributions it re-flags.
    /// </summary>
    public int? FlagsPolicyVersion { get; private set; }
    public DateTimeOffset? FlagsComputedAt { get; private set; }

    public ReviewVerdict ReviewVerdict { get; private set; }
    public string? ReviewNotes { get; private set; }
    public Guid? ReviewedBy { get; private set; }
    public string? ReviewedByName { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin): the API's <c>version</c>.</summary>
    public uint Version { get; private set; }

    public bool IsFlagged => RiskScore > 0;

    /// <summary>A corrected title or link for the same change (a re-imported CSV row); who wrote it and when stay.</summary>
    public void Describe(string title, string? url)
    {
        Title = title;
        Url = url;
    }

    /// <summary>Sets the author's match (the gate's attribution step).</summary>
    public void Attribute(Guid? personId, ContributionMatch match)
    {
        PersonId = personId;
        Match = match;
    }

    /// <summary>Records the flags the gate computed; unchanged flags leave the row untouched (no audit event).</summary>
    public void Flag(string flagsJson, int score, int policyVersion, DateTimeOffset at)
    {
        if (flagsJson == Flags && score == RiskScore && FlagsPolicyVersion is not null)
        {
            return;
        }
        Flags = flagsJson;
        RiskScore = score;
        FlagsPolicyVersion = policyVersion;
        FlagsComputedAt = at;
    }

    /// <summary>A reviewer's verdict with notes; a later verdict replaces it (the audit trail keeps each one).</summary>
    public void Review(ReviewVerdict verdict, string? notes, Guid by, string byName, DateTimeOffset at)
    {
        if (verdict == ReviewVerdict.Unreviewed)
        {
            throw new InvalidOperationException("A review records a verdict.");
        }
        ReviewVerdict = verdict;
        ReviewNotes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        ReviewedBy = by;
        ReviewedByName = byName;
        ReviewedAt = at;
    }

    /// <summary>The form e-mail addresses are compared in: trimmed, lower-case (invariant).</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
