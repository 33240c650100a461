using System.Reflection;
using ComplianceHub.Core.Data;

namespace ComplianceHub.Core.Tests.Architecture;

/// <summary>Boundaries inside Core are checked, not hoped for (STYLE.md).</summary>
public sealed class BoundaryTests
{
    private static readonly Assembly Core = typeof(ComplianceDbContext).Assembly;

    [Theory]
    [InlineData("Microsoft.AspNetCore.Components")]
    [InlineData("MudBlazor")]
    [InlineData("Microsoft.AspNetCore.Http")]
    [InlineData("Microsoft.AspNetCore.Mvc")]
    public void Core_DoesNotReferenceUiOrHttp(string assemblyPrefix) =>
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name!.StartsWith(assemblyPrefix, StringComparison.Ordinal));

    [Fact]
    public void Domain_DependsOnNeitherDataNorFeatures()
    {
        var domainTypes = Core.GetTypes().Where(t => t.Namespace?.StartsWith("ComplianceHub.Core.Domain", StringComparison.Ordinal) == true);
        var offenders = domainTypes
            .SelectMany(t => UsedTypes(t).Select(u => (t, u)))
            .Where(x => x.u.Namespace is { } ns && (ns.StartsWith("ComplianceHub.Core.Data", StringComparison.Ordinal)
                || ns.StartsWith("ComplianceHub.Core.Features", StringComparison.Ordinal)
                || ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)))
            .Select(x => $"{x.t.Name} uses {x.u.FullName}")
            .ToList();
        Assert.Empty(offenders);
    }

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

    private static IEnumerable<Type> UsedTypes(Type t)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return t.GetFields(all).Select(f => f.FieldType)
            .Concat(t.GetProperties(all).Select(p => p.PropertyType))
            .Concat(t.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
            .Concat(t.GetConstructors(all).SelectMany(c => c.GetParameters().Select(p => p.ParameterType)))
            .SelectMany(Unwrap);
    }

    private static IEnumerable<Type> Unwrap(Type t) =>
        t.IsGenericType ? t.GetGenericArguments().SelectMany(Unwrap).Append(t) : t.HasElementType ? Unwrap(t.GetElementType()!) : [t];
}
