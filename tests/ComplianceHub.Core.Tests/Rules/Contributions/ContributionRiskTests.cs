using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Contributions;

namespace ComplianceHub.Core.Tests.Rules.Contributions;

/// <summary>The contribution risk flags, one row per condition: what raises each flag and what does not.</summary>
public sealed class ContributionRiskTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 14, 0, 0, TimeSpan.Zero);

    private static ContributionFacts Facts(PersonFacts? author, bool grant = true, bool escorted = false, bool escort = false, bool session = false,
        string? laterRule = null, int laterDays = 3, ContributionMatch match = ContributionMatch.Email) =>
        new(At, author is null ? match : ContributionMatch.Email, "dev@vendor.example", author, "Portal",
            grant ? [new GrantAtTime(Guid.NewGuid(), AccessType.NonPrivileged, escorted, new DateOnly(2026, 1, 1), null, GrantStatus.Active)] : [],
            escort ? [new EscortAtTime(Guid.NewGuid(), Guid.NewGuid(), "Eve Escort", new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 31))] : [],
            session ? [new SessionAtTime(Guid.NewGuid(), At.AddHours(-1), At.AddHours(1), "CHG-1", "Eve Escort", true)] : [],
            laterRule is null ? [] : [new LaterFinding(Guid.NewGuid(), laterRule, At.AddDays(laterDays), "found")]);

    private static List<string> Codes(ContributionFacts facts, PolicyParameters? policy = null) =>
        ContributionRisk.Evaluate(facts, policy ?? PolicyDefaults.Baseline2026).Select(f => f.Code).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void AUsPersonWithAnActiveGrant_RaisesNoFlag() => Assert.Empty(Codes(Facts(Given.Person())));

    [Theory]
    [InlineData(ContributionMatch.Unmatched, "No one on the vendor's roster")]
    [InlineData(ContributionMatch.Ambiguous, "more than one person")]
    public void AnUnknownAuthor_IsOnlyUnmatched(ContributionMatch match, string says)
    {
        var flags = ContributionRisk.Evaluate(Facts(null, match: match), PolicyDefaults.Baseline2026);
        var flag = Assert.Single(flags);
        Assert.Equal((ContributionRisk.Unmatched, 30), (flag.Code, flag.Weight));
        Assert.Contains(says, flag.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CN", 120)]
    [InlineData("HK", 120)]
    [InlineData("CU", 80)]
    public void WorkingFromACoveredOrAdversaryCountry_IsFlagged_CoveredWeighingMore(string country, int weight)
    {
        var flag = ContributionRisk.Evaluate(Facts(Given.Person(work: country)), PolicyDefaults.Baseline2026).Single(f => f.Code == ContributionRisk.AdversaryLocation);
        Assert.Equal(weight, flag.Weight);
        Assert.Equal(country, flag.Facts["workCountry"]);
    }

    [Theory]
    [InlineData("US,CN", "US", 100)]
    [InlineData("US", "RU", 100)] // born there counts
    [InlineData("US,VE", "US", 70)]
    public void ACoveredOrAdversaryNationality_IsFlagged_DualNationalsIncluded(string citizenships, string birth, int weight)
    {
        var flags = ContributionRisk.Evaluate(Facts(Given.Person(citizenships, birth)), PolicyDefaults.Baseline2026);
        Assert.Equal(weight, flags.Single(f => f.Code == ContributionRisk.AdversaryCitizenship).Weight);
        Assert.DoesNotContain(flags, f => f.Code == ContributionRisk.NotUsPerson); // a US citizen
    }

    [Fact]
    public void ANonUsPerson_IsFlagged_ButAPermanentResidentIsNot()
    {
        Assert.Contains(ContributionRisk.NotUsPerson, Codes(Facts(Given.Person("IN", "IN"), escort: true, session: true)));
        Assert.DoesNotContain(ContributionRisk.NotUsPerson, Codes(Facts(Given.Person("IN", "IN", lpr: true))));
    }

    [Fact]
    public void NoActiveGrantAtTheMoment_IsFlagged()
    {
        Assert.Equal([ContributionRisk.NoGrant], Codes(Facts(Given.Person(), grant: false)));
        var suspended = Facts(Given.Person()) with
        {
            Grants = [new GrantAtTime(Guid.NewGuid(), AccessType.Privileged, false, new DateOnly(2026, 1, 1), null, GrantStatus.Suspended)],
        };
        Assert.Equal([ContributionRisk.NoGrant], Codes(suspended));
        var ended = Facts(Given.Person()) with
        {
            Grants = [new GrantAtTime(Guid.NewGuid(), AccessType.Privileged, false, new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 19), GrantStatus.Active)],
        };
        Assert.Equal([ContributionRisk.NoGrant], Codes(ended));
    }

    [Theory]
    [InlineData(true, false, false, true)] // an escorted grant, no session
    [InlineData(false, true, false, true)] // an escort assigned that day, no session
    [InlineData(true, true, true, false)] // a session covers the moment
    [InlineData(false, false, false, false)] // direct access by a US person
    public void EscortedWorkWithoutASession_IsFlagged(bool escortedGrant, bool escortAssigned, bool session, bool flagged) =>
        Assert.Equal(flagged, Codes(Facts(Given.Person(), escorted: escortedGrant, escort: escortAssigned, session: session)).Contains(ContributionRisk.Unescorted));

    [Theory]
    [InlineData("LOC-COVERED", 3, true)]
    [InlineData("CIT-CONCERN", 3, true)]
    [InlineData("LOC-COVERED", -3, false)] // found before the change: not "later"
    [InlineData("NDA", 3, false)] // not a nationality or location rule
    public void ALaterNationalityOrLocationFinding_IsFlagged(string rule, int days, bool flagged) =>
        Assert.Equal(flagged, Codes(Facts(Given.Person(), laterRule: rule, laterDays: days)).Contains(ContributionRisk.LaterViolation));

    [Fact]
    public void TheCountrySets_AreThePolicys()
    {
        var wider = PolicyDefaults.Baseline2026 with
        {
            CountrySets = new Dictionary<string, IReadOnlySet<string>>(PolicyDefaults.Baseline2026.CountrySets)
            {
                [PolicyParameters.Adversary] = new HashSet<string>(PolicyDefaults.Baseline2026.Set(PolicyParameters.Adversary)) { "GB" },
            },
        };
        Assert.DoesNotContain(ContributionRisk.AdversaryLocation, Codes(Facts(Given.Person(work: "GB"))));
        Assert.Contains(ContributionRisk.AdversaryLocation, Codes(Facts(Given.Person(work: "GB")), wider));
    }

    [Fact]
    public void TheSameFacts_GiveTheSameFlags()
    {
        var facts = Facts(Given.Person("RU", "RU", work: "RU"), grant: false);
        Assert.Equal(ContributionRisk.Evaluate(facts, PolicyDefaults.Baseline2026), ContributionRisk.Evaluate(facts, PolicyDefaults.Baseline2026),
            new FlagComparer());
    }

    private sealed class FlagComparer : IEqualityComparer<ContributionFlag>
    {
        public bool Equals(ContributionFlag? x, ContributionFlag? y) =>
            x is not null && y is not null && x.Code == y.Code && x.Weight == y.Weight && x.Message == y.Message && x.Facts.SequenceEqual(y.Facts);

        public int GetHashCode(ContributionFlag obj) => obj.Code.GetHashCode(StringComparison.Ordinal);
    }
}
