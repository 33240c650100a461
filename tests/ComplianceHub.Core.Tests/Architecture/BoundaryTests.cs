using System.Reflection;
using ComplianceHub.Core.Data;
using NetArchTest.Rules;

namespace ComplianceHub.Core.Tests.Architecture;

/// <summary>
/// Boundaries inside Core are checked, not hoped for (STYLE.md). NetArchTest reads each type's signatures and method
/// bodies (the IL: calls, locals, casts, attributes), so a dependency hidden in a method body fails here too.
/// </summary>
public sealed class BoundaryTests
{
    internal static readonly Assembly Core = typeof(ComplianceDbContext).Assembly;
    internal static readonly Assembly Web = typeof(Web.Hosting.PortalHosting).Assembly;

    private const string Data = "ComplianceHub.Core.Data";
    private const string Features = "ComplianceHub.Core.Features";
    private const string Gate = "ComplianceHub.Core.Gate";
    private const string EfCore = "Microsoft.EntityFrameworkCore";

    [Theory]
    [InlineData("Microsoft.AspNetCore.Components")]
    [InlineData("MudBlazor")]
    [InlineData("Microsoft.AspNetCore.Http")]
    [InlineData("Microsoft.AspNetCore.Mvc")]
    public void Core_DoesNotReferenceUiOrHttp(string assemblyPrefix) =>
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name!.StartsWith(assemblyPrefix, StringComparison.Ordinal));

    [Fact]
    public void Rules_UseNeitherDataNorFeaturesNorTheGateNorEfCore() =>
        AssertUsesNone(Types.InAssembly(Core).That().ResideInNamespaceMatching(Under("ComplianceHub.Core.Rules")).ShouldNot(),
            "The rules (ComplianceHub.Core.Rules)", Data, Features, Gate, EfCore);

    [Fact]
    public void Domain_UsesNeitherDataNorFeaturesNorTheGateNorEfCore() =>
        AssertUsesNone(Types.InAssembly(Core).That().ResideInNamespaceMatching(Under("ComplianceHub.Core.Domain")).ShouldNot(),
            "The domain (ComplianceHub.Core.Domain)", Data, Features, Gate, EfCore);

    [Fact]
    public void Domain_UsesNoRules() =>
        AssertUsesNone(Types.InAssembly(Core).That().ResideInNamespaceMatching(Under("ComplianceHub.Core.Domain")).ShouldNot(),
            "The domain (ComplianceHub.Core.Domain; the rules use the domain, not the other way round)", "ComplianceHub.Core.Rules");

    [Fact]
    public void Core_UsesNothingOfWebBlazorMudBlazorOrHttpContext() =>
        AssertUsesNone(Types.InAssembly(Core).ShouldNot(),
            "Core", "ComplianceHub.Web", "Microsoft.AspNetCore.Components", "MudBlazor",
            "Microsoft.AspNetCore.Http.HttpContext", "Microsoft.AspNetCore.Http.IHttpContextAccessor");

    [Fact]
    public void WebComponents_NeverTouchADbContext() =>
        AssertUsesNone(Types.InAssembly(Web).That().ResideInNamespaceMatching(Under("ComplianceHub.Web.Components")).ShouldNot(),
            "The portal's components (ComplianceHub.Web.Components*)",
            typeof(ComplianceDbContext).FullName!, "Microsoft.EntityFrameworkCore.IDbContextFactory`1", "Microsoft.EntityFrameworkCore.DbContext");

    [Fact]
    public void EveryEntityOfTheModel_HasAConfigurationClass()
    {
        var configured = Core.GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Microsoft.EntityFrameworkCore.IEntityTypeConfiguration<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();
        // The model itself says which entities exist (building it needs no database connection).
        using var db = ComplianceDbContextFactory.Create("Host=unused;Database=unused");
        var entities = db.Model.GetEntityTypes().Select(e => e.ClrType)
            .Where(t => t.Namespace?.StartsWith("ComplianceHub.", StringComparison.Ordinal) == true && !t.IsGenericType)
            .ToList();
        Assert.NotEmpty(entities);
        Assert.All(entities, e => Assert.Contains(e, configured));
    }

    /// <summary>A namespace and those under it, as NetArchTest's pattern.</summary>
    internal static string Under(string ns) => $"^{System.Text.RegularExpressions.Regex.Escape(ns)}($|\\.)";

    /// <summary>Fails naming each offending type and what it uses (NetArchTest's explanation).</summary>
    internal static void AssertUsesNone(Condition shouldNot, string who, params string[] forbidden)
    {
        var result = shouldNot.HaveDependencyOnAny(forbidden).GetResult();
        Assert.NotEmpty(result.SelectedTypesForTesting); // a rule over no type proves nothing
        Assert.True(result.IsSuccessful,
            $"{who} must use none of {string.Join(", ", forbidden)}; these types do:{Environment.NewLine}" +
            string.Join(Environment.NewLine, (result.FailingTypes ?? []).Select(t => $"  {t.FullName}: {t.Explanation}")));
    }
}
