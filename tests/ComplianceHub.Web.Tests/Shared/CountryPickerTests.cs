using Bunit;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Web.Components.Shared;
using MudBlazor;
using MudBlazor.Services;

namespace ComplianceHub.Web.Tests.Shared;

public sealed class CountryPickerTests : BunitContext, IAsyncLifetime
{
    private IReadOnlyCollection<string>? changed;

    private readonly IRenderedComponent<MudPopoverProvider> popovers;

    public CountryPickerTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        popovers = Render<MudPopoverProvider>();
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private IRenderedComponent<CountryPicker> RenderPicker(IReadOnlyCollection<string> values, bool disabled = false, string? error = null) =>
        Render<CountryPicker>(p => p
            .Add(x => x.Values, values)
            .Add(x => x.SetName, "COVERED")
            .Add(x => x.Label, "Covered nations")
            .Add(x => x.Disabled, disabled)
            .Add(x => x.ErrorText, error)
            .Add(x => x.ValuesChanged, v => changed = v));

    [Fact]
    public void ShowsEachCountryByNameAndCode_SortedByName_UnderItsTestHook()
    {
        var cut = RenderPicker(["RU", "CN", "KP"]);

        var chips = cut.FindAll("[data-testid=country-picker-COVERED] [data-code]");
        Assert.Equal(["CN", "KP", "RU"], chips.Select(c => c.GetAttribute("data-code")));
        Assert.Contains("China (CN)", chips[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Russian Federation (RU)", chips[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("(3)", cut.Find("p").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveButtons_AreLabelled_AndRemoveOnlyThatCountry()
    {
        var cut = RenderPicker(["CN", "RU"]);

        var remove = cut.Find("[data-testid=remove-CN]");
        Assert.Equal("Remove China (CN) from Covered nations", remove.GetAttribute("aria-label"));
        remove.Click();

        Assert.Equal(["RU"], changed);
    }

    [Fact]
    public async Task ChoosingACountry_AddsIt()
    {
        var cut = RenderPicker(["CN"]);

        var autocomplete = cut.FindComponent<MudAutocomplete<Country>>();
        await cut.InvokeAsync(() => autocomplete.Instance.ValueChanged.InvokeAsync(Iso3166.All.Single(c => c.Alpha2 == "VE")));

        Assert.Equal(["CN", "VE"], changed!.Order());
        Assert.Equal("Add a country to Covered nations", autocomplete.Instance.Label);
    }

    [Fact]
    public void Disabled_ShowsTheCountriesOnly_AndTheError()
    {
        var cut = RenderPicker([], disabled: true, error: "COVERED cannot be empty.");

        Assert.Empty(cut.FindAll("button"));
        Assert.Empty(cut.FindComponents<MudAutocomplete<Country>>());
        Assert.Contains("No countries in this set.", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("COVERED cannot be empty.", cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cn", "CN")]
    [InlineData("CHN", "CN")]
    [InlineData("chi", "CL")]
    [InlineData("venez", "VE")]
    public void Search_FindsByCodeOrName_BestFirst(string text, string first) =>
        Assert.Equal(first, CountryPicker.Matches(text, []).First().Alpha2);

    [Fact]
    public void Search_LeavesOutChosenCountries_AndFindsEveryNameContainingTheText()
    {
        var koreas = CountryPicker.Matches("korea", ["KP"]).Select(c => c.Alpha2).ToList();

        Assert.Equal(["KR"], koreas);
        Assert.Equal(Iso3166.All.Count - 1, CountryPicker.Matches("", ["US"]).Count);
    }

    [Theory]
    [InlineData("UK", "United Kingdom (GB)")]
    [InlineData("Burma", "Myanmar (MM)")]
    [InlineData("Ivory Coast", "Côte d'Ivoire (CI)")]
    [InlineData("Curacao", "Curaçao (CW)")]
    public void TypingAnEverydayName_OffersItsCountry(string typed, string offered)
    {
        var cut = RenderPicker([]);

        cut.FindComponent<MudAutocomplete<Country>>().Find("input").Input(typed);

        popovers.WaitForAssertion(() => Assert.Equal(offered, popovers.FindAll(".mud-list-item").First().TextContent.Trim()), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("Britain", "GB")]
    [InlineData("America", "US")]
    [InlineData("Turkey", "TR")]
    [InlineData("Macau", "MO")]
    [InlineData("Czech Republic", "CZ")]
    [InlineData("Reunion", "RE")]
    [InlineData("Aland", "AX")]
    public async Task TheSingleCountryField_FindsTheSameAliases(string typed, string first) =>
        Assert.Equal(first, (await CountryAutocomplete.SearchAsync(typed, CancellationToken.None)).First());
}
