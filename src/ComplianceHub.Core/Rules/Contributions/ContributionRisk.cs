using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Rules.Contributions;

/// <summary>One of the author's grants on the contribution's system, with its status at the moment of the contribution.</summary>
public sealed record GrantAtTime(Guid GrantId, AccessType AccessType, bool Escorted, DateOnly StartsOn, DateOnly? EndsOn, GrantStatus? StatusThen);

/// <summary>An escort assignment of the author on the system whose period covers the contribution's day.</summary>
public sealed record EscortAtTime(Guid AssignmentId, Guid EscortId, string EscortName, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>An escorted session of the author on the system that covers the contribution's moment.</summary>
public sealed record SessionAtTime(Guid SessionId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string ChangeTicket, string EscortName, bool SignedOff);

/// <summary>A finding on one of the author's nationality or location rules, detected after the contribution.</summary>
public sealed record LaterFinding(Guid FindingId, string RuleId, DateTimeOffset DetectedAt, string Message);

/// <summary>
/// What the risk flags read about one contribution: when it was made, whether its author is known, the author's facts as
/// they stood that day, and their grants, escorts, sessions and later findings on the system.
/// </summary>
public sealed record ContributionFacts(
    DateTimeOffset At,
    ContributionMatch Match,
    string AuthorEmail,
    PersonFacts? Author,
    string SystemName,
    IReadOnlyList<GrantAtTime> Grants,
    IReadOnlyList<EscortAtTime> Escorts,
    IReadOnlyList<SessionAtTime> Sessions,
    IReadOnlyList<LaterFinding> LaterFindings)
{
    public DateOnly Day => DateOnly.FromDateTime(At.UtcDateTime);
}

/// <summary>A raised flag: its stable code, its weight in the risk score, a sentence with the facts, and the facts themselves.</summary>
public sealed record ContributionFlag(string Code, int Weight, string Message, IReadOnlyDictionary<string, string> Facts);

/// <summary>
/// The risk flags of a code contribution (docs/contributions.md): pure and deterministic, like the rules — the same facts and
/// country sets give the same flags. The gate computes them, with the author's facts as of the contribution's date, whenever
/// the facts they read change.
/// </summary>
public static class ContributionRisk
{
    public const string Unmatched = "CC-UNMATCHED";
    public const string NotUsPerson = "CC-NOT-US-PERSON";
    public const string AdversaryCitizenship = "CC-ADVERSARY-CITIZENSHIP";
    public const string AdversaryLocation = "CC-ADVERSARY-LOCATION";
    public const string NoGrant = "CC-NO-GRANT";
    public const string Unescorted = "CC-UNESCORTED";
    public const string LaterViolation = "CC-LATER-VIOLATION";

    /// <summary>The flags, each with its title and weight (a covered country weighs more than another adversary).</summary>
    public static IReadOnlyList<(string Code, string Title, string Weight)> Catalogue { get; } =
    [
        (AdversaryLocation, "Author worked from a covered or adversary country", "120 covered, 80 other adversary"),
        (AdversaryCitizenship, "Author held a covered or adversary citizenship", "100 covered, 70 other adversary"),
        (LaterViolation, "Author later found in violation of a nationality or location rule", "70"),
        (Unescorted, "Escorted author, no escorted session covers the change", "60"),
        (NoGrant, "Author had no active grant to the system", "60"),
        (NotUsPerson, "Author was not a US person", "40"),
        (Unmatched, "Author not matched to anyone on the roster", "30"),
    ];

    /// <summary>The rules whose findings count as a nationality or location violation.</summary>
    public static IReadOnlySet<string> NationalityAndLocationRules { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "LOC-COVERED", "CIT-COVERED", "LOC-ADVERSARY", "CIT-CONCERN", "IL45-US-PERSON", "IL6-CITIZEN", "LOC-US-AREAS",
    };

    public static IReadOnlyList<ContributionFlag> Evaluate(ContributionFacts c, PolicyParameters policy)
    {
        var flags = new List<ContributionFlag>();
        var day = c.Day.ToString("yyyy-MM-dd");
        if (c.Author is not { } author)
        {
            var why = c.Match == ContributionMatch.Ambiguous
                ? $"{c.AuthorEmail} is the e-mail of more than one person on the roster; add it as an alias of the right one."
                : $"No one on the vendor's roster has the e-mail {c.AuthorEmail}: the author's citizenship, location and access are unknown.";
            flags.Add(new(Unmatched, 30, why, new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["authorEmail"] = c.AuthorEmail, ["match"] = c.Match.ToString(),
            }));
            return flags;
        }

        var covered = policy.Set(PolicyParameters.Covered);
        var adversary = policy.Set(PolicyParameters.Adversary);
        if (covered.Contains(author.WorkCountry) || adversary.Contains(author.WorkCountry))
        {
            var isCovered = covered.Contains(author.WorkCountry);
            flags.Add(new(AdversaryLocation, isCovered ? 120 : 80,
                $"On {day} the author worked from {author.WorkCountry}, {(isCovered ? "a covered nation (10 U.S.C. 4872)" : "an adversary country (15 CFR 791.4)")}.",
                Facts(("workCountry", author.WorkCountry), ("asOf", day), ("set", isCovered ? PolicyParameters.Covered : PolicyParameters.Adversary))));
        }
        var nationalities = author.Citizenships.Append(author.CountryOfBirth).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var coveredHeld = nationalities.Where(covered.Contains).Order(StringComparer.Ordinal).ToList();
        var adversaryHeld = nationalities.Where(n => adversary.Contains(n) && !covered.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (coveredHeld.Count > 0 || adversaryHeld.Count > 0)
        {
            var countries = string.Join(", ", coveredHeld.Concat(adversaryHeld));
            flags.Add(new(AdversaryCitizenship, coveredHeld.Count > 0 ? 100 : 70,
                $"On {day} the author held a citizenship of (or was born in) {countries}, {(coveredHeld.Count > 0 ? "a covered nation" : "an adversary country")}.",
                Facts(("citizenships", author.CitizenshipList), ("countryOfBirth", author.CountryOfBirth), ("asOf", day),
                    ("set", coveredHeld.Count > 0 ? PolicyParameters.Covered : PolicyParameters.Adversary))));
        }
        if (!author.IsUsPerson)
        {
            flags.Add(new(NotUsPerson, 40,
                $"On {day} the author was not a US person (citizenships {author.CitizenshipList}, not a US permanent resident).",
                Facts(("citizenships", author.CitizenshipList), ("usLawfulPermanentResident", "false"), ("asOf", day))));
        }

        var active = c.Grants.Where(g => g.StatusThen == GrantStatus.Active && g.StartsOn <= c.Day && (g.EndsOn is null || g.EndsOn >= c.Day)).ToList();
        if (active.Count == 0)
        {
            var held = c.Grants.Count == 0 ? "none" : string.Join("; ", c.Grants.Select(g => $"{g.AccessType} {g.StatusThen?.ToString() ?? "not yet requested"}"));
            flags.Add(new(NoGrant, 60, $"At {c.At:yyyy-MM-dd HH:mm} UTC the author held no active grant to {c.SystemName}.",
                Facts(("system", c.SystemName), ("grantsThen", held), ("at", c.At.ToString("O")))));
        }
        var escorted = active.Any(g => g.Escorted) || c.Escorts.Count > 0 || (active.Count > 0 && !author.IsUsPerson);
        if (escorted && !c.Sessions.Any(s => s.StartedAt <= c.At && s.EndedAt >= c.At))
        {
            var escorts = c.Escorts.Count == 0 ? "none assigned" : string.Join(", ", c.Escorts.Select(e => e.EscortName));
            flags.Add(new(Unescorted, 60,
                $"The author's work on {c.SystemName} was to be escorted (escort: {escorts}), but no escorted session covers {c.At:yyyy-MM-dd HH:mm} UTC.",
                Facts(("system", c.SystemName), ("escorts", escorts), ("at", c.At.ToString("O")))));
        }

        var later = c.LaterFindings.Where(f => f.DetectedAt > c.At && NationalityAndLocationRules.Contains(f.RuleId)).ToList();
        if (later.Count > 0)
        {
            var rules = string.Join(", ", later.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal));
            var first = later.Min(f => f.DetectedAt);
            flags.Add(new(LaterViolation, 70,
                $"The author was later found in violation of {rules} (first on {first:yyyy-MM-dd}, after this change).",
                Facts(("rules", rules), ("firstDetectedOn", first.ToString("yyyy-MM-dd")))));
        }
        return flags;
    }

    private static SortedDictionary<string, string> Facts(params (string Key, string Value)[] facts) =>
        new(facts.ToDictionary(f => f.Key, f => f.Value), StringComparer.Ordinal);
}
