using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Tests.Architecture;

/// <summary>
/// A DbContext per operation, never one per circuit (STYLE.md). A component lives as long as its circuit, and so does every
/// service it injects: none of them may hold a context, or Identity's managers (whose stores hold one), from that scope.
/// </summary>
public sealed class CircuitScopeTests
{
    private static readonly HashSet<string> IdentityManagers = new(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.Identity.UserManager`1",
        "Microsoft.AspNetCore.Identity.RoleManager`1",
        "Microsoft.AspNetCore.Identity.SignInManager`1",
        "Microsoft.AspNetCore.Identity.IUserStore`1",
        "Microsoft.AspNetCore.Identity.IRoleStore`1",
    };

    [Fact]
    public void ServicesThatComponentsInject_HoldNoDbContextNorIdentityManager()
    {
        var injected = InjectedIntoComponents().ToList();
        Assert.NotEmpty(injected);
        var offenders = injected
            .SelectMany(i => HeldPerScope(i.Service).Select(held => $"  {i.Component.FullName} injects {Name(i.Service)}, which holds {Name(held)}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(offenders.Count == 0,
            "A component keeps what it injects for its whole circuit; take a context per operation (IDbContextFactory, or a scope per "
            + "operation as AccountService does) instead:" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    /// <summary>
    /// The interactive component types of the portal and what each injects (its [Inject] properties and constructor). The pages
    /// excluded from interactive routing (sign-in, password change) render once per request, in the request's scope.
    /// </summary>
    private static IEnumerable<(Type Component, Type Service)> InjectedIntoComponents()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var component in BoundaryTests.Web.GetTypes()
                     .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsDefined(typeof(ExcludeFromInteractiveRoutingAttribute))))
        {
            foreach (var property in component.GetProperties(all).Where(p => p.IsDefined(typeof(InjectAttribute))))
            {
                yield return (component, property.PropertyType);
            }
            foreach (var parameter in component.GetConstructors().SelectMany(c => c.GetParameters()))
            {
                yield return (component, parameter.ParameterType);
            }
        }
    }

    /// <summary>The service itself when it is a context or a manager; else what its constructors take that is.</summary>
    private static IEnumerable<Type> HeldPerScope(Type service) =>
        PerScope(service) ? [service]
        : service.IsClass ? service.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType).Where(PerScope)
        : [];

    private static bool PerScope(Type type) =>
        typeof(DbContext).IsAssignableFrom(type)
        || (type.IsGenericType && IdentityManagers.Contains(type.GetGenericTypeDefinition().FullName!));

    private static string Name(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : type.Name;
}
