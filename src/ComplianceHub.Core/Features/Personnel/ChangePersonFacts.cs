using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>The result of a fact change: the person and what the change caused.</summary>
public sealed record PersonChangeResult(Guid PersonId, ConsequencesView Consequences);

/// <summary>
/// Records a change of a person's work location and/or nationality facts. Facts are always recorded — refusing to
/// record the truth hides risk — and their consequences happen in the same transaction: grants that now fail a
/// blocking rule are suspended and findings are opened (or closed when a condition cleared).
/// </summary>
/// <param name="PersonId">The person.</param>
/// <param name="WorkCountry">New work-location country (ISO 3166-1 alpha-2), or null to keep.</param>
/// <param name="WorkCity">New city or site; required with a new country.</param>
/// <param name="Citizenships">The full new set of citizenships, or null to keep.</param>
/// <param name="CountryOfBirth">New country of birth, or null to keep.</param>
/// <param name="UsLawfulPermanentResident">New permanent-residence flag, or null to keep.</param>
/// <param name="EffectiveOn">The day the change took effect (default: today).</param>
/// <param name="DryRun">Run the change through the gate and roll it back: what it would suspend and open, before saving.</param>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record ChangePersonFacts(Guid PersonId, string? WorkCountry = null, string? WorkCity = null,
    IReadOnlyList<string>? Citizenships = null, string? CountryOfBirth = null, bool? UsLawfulPermanentResident = null,
    DateOnly? EffectiveOn = null, bool DryRun = false) : ICommand<PersonChangeResult>, ICanDryRun;

public sealed class ChangePersonFactsValidator : AbstractValidator<ChangePersonFacts>
{
    public ChangePersonFactsValidator()
    {
        RuleFor(c => c.PersonId).NotEmpty();
        RuleFor(c => c.WorkCountry).Must(Iso3166.IsKnown!).When(c => c.WorkCountry is not null)
            .WithMessage(c => $"Choose a country from the list: {c.WorkCountry} is not a known country code.");
        RuleFor(c => c.WorkCity).NotEmpty().MaximumLength(100).When(c => c.WorkCountry is not null)
            .WithMessage("Give the city or site of the new work location.");
        RuleFor(c => c.Citizenships).NotEmpty().When(c => c.Citizenships is not null)
            .WithMessage("A person has at least one citizenship.");
        RuleForEach(c => c.Citizenships).Citizenship();
        RuleFor(c => c.CountryOfBirth).Must(Iso3166.IsKnown!).When(c => c.CountryOfBirth is not null)
            .WithMessage(c => $"Choose a country from the list: {c.CountryOfBirth} is not a known country code.");
        RuleFor(c => c).Must(c => c.WorkCountry is not null || c.Citizenships is not null || c.CountryOfBirth is not null || c.UsLawfulPermanentResident is not null)
            .WithName("facts").WithMessage("Change at least one fact.");
    }
}

internal sealed class ChangePersonFactsHandler : ICommandHandler<ChangePersonFacts, PersonChangeResult>
{
    public async Task<Outcome<PersonChangeResult>> HandleAsync(ChangePersonFacts command, CommandContext context, CancellationToken ct)
    {
        var person = await context.Db.People.VisibleTo(context.Actor).SingleOrDefaultAsync(p => p.Id == command.PersonId, ct);
        if (person is null)
        {
            return Outcome<PersonChangeResult>.NotFound("The person");
        }
        if (command.WorkCountry is not null)
        {
            person.MoveTo(command.WorkCountry, command.WorkCity!.Trim());
        }
        if (command.Citizenships is not null || command.CountryOfBirth is not null || command.UsLawfulPermanentResident is not null)
        {
            person.SetNationality(command.Citizenships ?? person.Citizenships, command.CountryOfBirth ?? person.CountryOfBirth,
                command.UsLawfulPermanentResident ?? person.UsLawfulPermanentResident);
        }
        context.Db.FactsEffectiveOn = command.EffectiveOn ?? context.Today;
        var db = context.Db;
        return Outcome<PersonChangeResult>.OkAfterSave(() => new PersonChangeResult(person.Id, db.Consequences.ToView()));
    }
}
