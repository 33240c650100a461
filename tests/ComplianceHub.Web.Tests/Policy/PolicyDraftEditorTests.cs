using Bunit;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Policy;
using MudBlazor;
using MudBlazor.Services;
using RuleSeverity = ComplianceHub.Core.Domain.Findings.Severity;

namespace ComplianceHub.Web.Tests.Policy;

public sealed class PolicyDraftEditorTests : BunitContext, IAsyncLifetime
{
    private readonly PolicyDraftModel model = PolicyDraftModel.From("Venezuela covered", PolicyDefaults.Baseline2026);
    private IReadOnlyDictionary<string, string[]>? reported;

    public PolicyDraftEditorTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Render<MudPopoverProvider>();
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private IRenderedComponent<PolicyDraftEditor> RenderEditor(IReadOnlyDictionary<string, string[]>? serverErrors = null) =>
        Render<PolicyDraftEditor>(p => p
            .Add(x => x.Model, model)
            .Add(x => x.ServerErrors, serverErrors)
            .Add(x => x.Changed, errors => reported = errors));

    private static IRenderedComponent<Components.Shared.CountryPicker> Picker(IRenderedComponent<PolicyDraftEditor> cut, string set) =>
        cut.FindComponents<Components.Shared.CountryPicker>().Single(c => c.Instance.SetName == set);

    [Fact]
    public void TheModel_RoundTripsTheParameters_Exactly()
    {
        Assert.Equal(PolicyJson.Serialize(PolicyDefaults.Baseline2026), PolicyJson.Serialize(model.ToParameters()));
        Assert.Empty(model.Validate());
    }

    [Fact]
    public void EveryCountrySet_HasAPicker_WithItsCountries()
    {
        var cut = RenderEditor();

        foreach (var set in new[] { "COVERED", "ADVERSARY", "CONCERN", "US_AREAS" })
        {
            Assert.NotNull(cut.Find($"[data-testid=country-picker-{set}]"));
        }
        Assert.Equal(["CN", "HK", "IR", "KP", "MO", "RU"], Picker(cut, "COVERED").Instance.Values.Order());
    }

    [Fact]
    public async Task AddingACountryToASet_ChangesTheDraftsParameters()
    {
        var cut = RenderEditor();

        var add = Picker(cut, "COVERED").FindComponent<MudAutocomplete<Country>>();
        await cut.InvokeAsync(() => add.Instance.ValueChanged.InvokeAsync(Iso3166.All.Single(c => c.Alpha2 == "VE")));

        Assert.Contains("VE", model.ToParameters().Set("COVERED"));
        Assert.Empty(reported!);
        Assert.Contains("Venezuela", cut.Find("[data-testid=country-picker-COVERED]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyingCovered_ShowsTheMessageUnderItsPicker()
    {
        var cut = RenderEditor();

        foreach (var code in new[] { "CN", "HK", "IR", "KP", "MO", "RU" })
        {
            cut.Find($"[data-testid=country-picker-COVERED] [data-testid=remove-{code}]").Click();
        }

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("CountrySets[COVERED]", reported!.Keys);
            Assert.Contains("COVERED cannot be empty", Picker(cut, "COVERED").Instance.ErrorText, StringComparison.Ordinal);
        });
        Assert.Null(Picker(cut, "ADVERSARY").Instance.ErrorText);
    }

    [Fact]
    public void RemovingTheUnitedStatesFromUsAreas_IsRefused()
    {
        var cut = RenderEditor();

        cut.Find("[data-testid=country-picker-US_AREAS] [data-testid=remove-US]").Click();

        cut.WaitForAssertion(() => Assert.Equal("US_AREAS must include the United States (US).", Picker(cut, "US_AREAS").Instance.ErrorText));
    }

    [Fact]
    public async Task ANumberOutOfRange_IsShownNextToItsField_AndClearsWhenCorrected()
    {
        var cut = RenderEditor();
        var field = cut.FindComponents<MudNumericField<int>>().Single(f => f.Instance.Label == "Longest grant (days)");

        await cut.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(0));
        Assert.Contains("3650", field.Find(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(180));
        Assert.Empty(field.FindAll(".mud-input-error"));
        Assert.Equal(180, model.ToParameters().MaxGrantDays);
    }

    [Fact]
    public async Task ARulesSeverity_AndSwitch_AreEdited()
    {
        var cut = RenderEditor();

        var severity = cut.FindComponents<MudSelect<RuleSeverity>>().Single(s => s.Instance.Label == "CIT-CONCERN severity");
        await cut.InvokeAsync(() => severity.Instance.ValueChanged.InvokeAsync(RuleSeverity.Block));
        var enabled = cut.FindComponents<MudSwitch<bool>>().Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == "rule-enabled-IL2-INVESTIGATION");
        await cut.InvokeAsync(() => enabled.Instance.ValueChanged.InvokeAsync(false));

        var rules = model.ToParameters().Rules;
        Assert.Equal(new RuleSetting(true, RuleSeverity.Block), rules["CIT-CONCERN"]);
        Assert.False(rules["IL2-INVESTIGATION"].Enabled);
        Assert.True(cut.FindComponents<MudSelect<RuleSeverity>>().Single(s => s.Instance.Label == "IL2-INVESTIGATION severity").Instance.Disabled);
    }

    [Fact]
    public void TheExecutorsErrors_AreShownUnderTheirFields_UntilTheNextEdit()
    {
        var cut = RenderEditor(new Dictionary<string, string[]>
        {
            ["Parameters.CountrySets[CONCERN]"] = ["Country set CONCERN holds codes that are not ISO 3166-1 alpha-2: ZZ."],
            ["Name"] = ["'Name' must not be empty."],
        });

        Assert.Contains("ZZ", Picker(cut, "CONCERN").Instance.ErrorText, StringComparison.Ordinal);
        Assert.Contains("'Name' must not be empty.", cut.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "Draft name").Markup, StringComparison.Ordinal);

        cut.Find("[data-testid=country-picker-CONCERN] [data-testid=remove-SY]").Click();
        // The edit is handled asynchronously (the editor tells the page, which re-renders it): wait for that render.
        cut.WaitForAssertion(() => Assert.Null(Picker(cut, "CONCERN").Instance.ErrorText));
    }

    [Fact]
    public async Task CheckingAccessLogEvidence_TurnsBothRulesOn_WithTheRecommendedSettings_AndTheParametersCarryThem()
    {
        var cut = RenderEditor();
        foreach (var id in PolicyDraftModel.EvidenceRules)
        {
            Assert.Contains("Off until a version that enables it is activated", cut.Find($"[data-testid=rule-off-until-enabled-{id}]").TextContent, StringComparison.Ordinal);
        }

        var check = cut.FindComponents<MudSwitch<bool>>().Single(s => s.Instance.Label == "Check access-log evidence");
        await cut.InvokeAsync(() => check.Instance.ValueChanged.InvokeAsync(true));

        var parameters = model.ToParameters();
        Assert.All(PolicyDraftModel.EvidenceRules, id => Assert.True(parameters.Rules[id].Enabled));
        Assert.Equal(EvidenceSettings.Recommended, parameters.EvidenceSettings);
        Assert.Empty(cut.FindAll("[data-testid^=rule-off-until-enabled-LOC-EVIDENCE]"));
        Assert.Empty(reported!);

        await cut.InvokeAsync(() => check.Instance.ValueChanged.InvokeAsync(false));
        Assert.All(PolicyDraftModel.EvidenceRules, id => Assert.False(model.ToParameters().Rules[id].Enabled));
        Assert.Equal(0, model.ToParameters().EvidenceSettings.SessionActivityDays);
    }

    [Fact]
    public async Task AnEvidenceSettingOutOfRange_IsShownNextToItsField_InWords()
    {
        var cut = RenderEditor();
        var window = cut.FindComponents<MudNumericField<int>>().Single(f => f.Instance.Label == "Evidence window (days)");
        await cut.InvokeAsync(() => window.Instance.ValueChanged.InvokeAsync(0));
        Assert.Equal("Count access-log evidence over 1 to 730 days.", window.Find(".mud-input-helper-text.mud-input-error").TextContent.Trim());
        Assert.Contains("EvidenceSettings.WindowDays", reported!.Keys);

        var sessions = cut.FindComponents<MudNumericField<int>>().Single(f => f.Instance.Label == "Escorted access without a session (days)");
        await cut.InvokeAsync(() => sessions.Instance.ValueChanged.InvokeAsync(-1));
        Assert.Equal("Days of access without a session record: 0 (off) to 365.", sessions.Find(".mud-input-helper-text.mud-input-error").TextContent.Trim());
    }

    [Fact]
    public void TheReadOnlyView_ShowsTheEvidenceSettings_TheRulesOffUntilEnabled_AndAnyValidatorMessage()
    {
        var view = Render<PolicyParametersView>(p => p.Add(x => x.Parameters, PolicyDefaults.Baseline2026));
        Assert.Contains("not checked", view.Find("[data-testid=policy-evidence]").TextContent, StringComparison.Ordinal);
        Assert.Contains("off until a version that enables it is activated", view.Find("[data-rule=LOC-EVIDENCE-COVERED]").TextContent, StringComparison.Ordinal);
        Assert.Empty(view.FindAll("[data-testid=policy-parameter-problems]"));

        model.CheckEvidence(true);
        model.EvidenceWindowDays = 1000;
        var invalid = Render<PolicyParametersView>(p => p.Add(x => x.Parameters, model.ToParameters()));
        Assert.Contains("checked by LOC-EVIDENCE-COVERED and LOC-EVIDENCE-MISMATCH", invalid.Find("[data-testid=policy-evidence]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Count access-log evidence over 1 to 730 days.", invalid.Find("[data-testid=policy-parameter-problems]").TextContent, StringComparison.Ordinal);
    }
}
