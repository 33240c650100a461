using ComplianceHub.Core.Domain;
using FluentValidation;

namespace ComplianceHub.Core.Features.Systems;

/// <summary>The checks a cloud system's fields get, on create and on update.</summary>
internal static class SystemFields
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, string> name, Func<T, string> provider, Func<T, string> environment, Func<T, ImpactLevel> level)
    {
        v.RuleFor(c => name(c)).NotEmpty().MaximumLength(200).OverridePropertyName("Name");
        v.RuleFor(c => provider(c)).NotEmpty().MaximumLength(200).OverridePropertyName("Provider");
        v.RuleFor(c => environment(c)).NotEmpty().MaximumLength(100).OverridePropertyName("Environment");
        v.RuleFor(c => level(c)).IsInEnum().OverridePropertyName("ImpactLevel");
    }
}
