using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Escorts;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Escorts;

/// <summary>
/// The escort picker offers only the people ESCORT-QUALIFIED accepts for the system and the access supervised there (the
/// rule's own checks as SQL), says why the others are left out, and agrees with the rule itself: each one offered can be
/// assigned, each one left out is refused.
/// </summary>
public sealed class EscortCandidatesQueryTests() : CommandPortalTest("picker")
{
    private Guid supervised;
    private Guid engineer;
    private Guid inChina;
    private Guid lowTier;
    private Guid bornInPuertoRico;
    private Guid unqualified;

    protected override async Task ArrangePeopleAsync()
    {
        supervised = await AddPersonAsync("GB", tier: InvestigationTier.T3, name: "Picker Supervised");
        engineer = await AddPersonAsync("US", qualification: EscortQualification.Engineer, name: "Picker Engineer");
        inChina = await AddPersonAsync("US", work: "CN", qualification: EscortQualification.Engineer, name: "Picker In China");
        lowTier = await AddPersonAsync("US", qualification: EscortQualification.Engineer, tier: InvestigationTier.T1, name: "Picker Low Tier");
        bornInPuertoRico = await AddPersonAsync("ES", birth: "PR", qualification: EscortQualification.Engineer, name: "Picker Puerto Rico");
        unqualified = await AddPersonAsync("US", name: "Picker Unqualified");
    }

    private EscortCandidatesQuery Query() => Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<EscortCandidatesQuery>();

    [Fact]
    public async Task APersonLocatedInChina_IsNotOffered_AndTheReasonIsGiven()
    {
        var choice = await Query().OfferedAsync(Co1, supervised, Il2, "Picker");

        Assert.NotNull(choice);
        Assert.Equal(new[] { bornInPuertoRico, engineer, lowTier }.Order(), choice.Offered.Select(c => c.Id).Order());
        Assert.Equal("people who may supervise non-privileged work on milCloud Public Portal", choice.CheckedAgainst);
        Assert.True(choice.Offered.Single(c => c.Id == bornInPuertoRico).UsCitizen); // born in a US territory

        var leftOut = await Query().LeftOutAsync(Co1, supervised, Il2, "Picker");
        var china = Assert.Single(leftOut!, p => p.Id == inChina);
        Assert.Equal(["works in China (CN), outside the US areas"], china.Reasons);
        Assert.DoesNotContain(leftOut!, p => p.Id == engineer || p.Id == supervised || p.Id == bornInPuertoRico);
        // Without a search, only people holding an escort qualification are explained; with one, anyone who matches.
        Assert.DoesNotContain((await Query().LeftOutAsync(Co1, supervised, Il2, null))!, p => p.Id == unqualified);

        var searched = await Query().LeftOutAsync(Co1, supervised, Il2, "Picker Unqualified");
        Assert.Equal(["is not qualified to escort; non-privileged work needs an operator"], Assert.Single(searched!).Reasons);
    }

    [Fact]
    public async Task TheSystemsNeeds_AreChecked_AnInvestigationTooLowForIl5IsLeftOut()
    {
        var il5 = await Query().OfferedAsync(Co1, supervised, Il5, "Picker");
        Assert.Equal(new[] { bornInPuertoRico, engineer }.Order(), il5!.Offered.Select(c => c.Id).Order());
        var leftOut = await Query().LeftOutAsync(Co1, supervised, Il5, "Picker");
        Assert.Equal(["has Tier 1, the system needs Tier 3"], leftOut!.Single(p => p.Id == lowTier).Reasons);

        // Without a system: the qualified escorts of today.
        var today = await Query().OfferedAsync(Co1, supervised, null, "Picker");
        Assert.Equal(new[] { bornInPuertoRico, engineer, lowTier }.Order(), today!.Offered.Select(c => c.Id).Order());
        Assert.Null(today.SystemName);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheOffer_AgreesWithTheRule_EveryOneOfferedCanBeAssigned_EveryOneLeftOutIsRefused(bool il5)
    {
        var system = il5 ? Il5 : Il2;
        var offered = (await Query().OfferedAsync(Co1, supervised, system, "Picker"))!.Offered;
        var leftOut = (await Query().LeftOutAsync(Co1, supervised, system, "Picker"))!;
        Assert.NotEmpty(offered);
        Assert.NotEmpty(leftOut);
        foreach (var candidate in offered)
        {
            var dryRun = await SendAsync(Co1, new AssignEscort(candidate.Id, supervised, system, Today, Today.AddDays(30), DryRun: true));
            Assert.True(dryRun.IsOk, $"{candidate.FullName} was offered but the rules say: {dryRun.Message}");
        }
        foreach (var person in leftOut)
        {
            var dryRun = await SendAsync(Co1, new AssignEscort(person.Id, supervised, system, Today, Today.AddDays(30), DryRun: true));
            Assert.Equal(OutcomeKind.Refused, dryRun.Kind);
            Assert.Contains(dryRun.Violations!, v => v.RuleId == "ESCORT-QUALIFIED");
        }
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_GetsNothing_AsForAMissingPerson()
    {
        Assert.Null(await Query().OfferedAsync(GlobexRep, supervised, Il2, null));
        Assert.Null(await Query().LeftOutAsync(GlobexRep, supervised, Il2, null));
        Assert.Null(await Query().OfferedAsync(Co1, Guid.NewGuid(), Il2, null));
        Assert.NotNull(await Query().OfferedAsync(AcmeRep, supervised, Il2, null)); // the representative's own vendor (RequestEscort)
    }
}
