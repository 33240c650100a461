using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Attestations;

/// <summary>The signed attestation and what its corrections caused.</summary>
public sealed record AttestationResult(Guid AttestationId, string ContentHash, int People, int Corrected, ConsequencesView Consequences);

/// <summary>
/// A vendor representative attests the current work location and citizenships of a set of their people (API.md
/// <c>POST /vendors/{id}/attestations</c>). Differences from the roster are fact changes (source: attested) with their
/// consequences; every attested person's attestation date moves to today. With <see cref="DryRun"/> it runs through the
/// gate and is rolled back: the attestation page's preview of what the corrections would cause ("this will suspend 2 grants").
/// </summary>
[AllowedRoles(Roles.VendorRepresentative)]
public sealed record SubmitAttestation(Guid VendorId, string Statement, IReadOnlyList<AttestedPerson> Items, bool DryRun = false)
    : ICommand<AttestationResult>, ICanDryRun;

public sealed class SubmitAttestationValidator : AbstractValidator<SubmitAttestation>
{
    public SubmitAttestationValidator()
    {
        RuleFor(c => c.Statement).NotEmpty().WithMessage("Write the statement you are attesting.").MaximumLength(4000);
        RuleFor(c => c.Items).NotEmpty().WithMessage("Attest at least one person.");
        RuleFor(c => c.Items).Must(items => items.Select(i => i.PersonId).Distinct().Count() == items.Count)
            .When(c => c.Items is { Count: > 0 }).WithMessage("Each person is attested once.");
        RuleForEach(c => c.Items).ChildRules(item =>
        {
            item.RuleFor(i => i.WorkCountry).Must(Iso3166.IsKnown!).WithMessage(i => $"Choose a country from the list: {i.WorkCountry} is not a known country code.");
            item.RuleFor(i => i.WorkCity).NotEmpty().MaximumLength(100);
            item.RuleFor(i => i.Citizenships).NotEmpty().WithMessage("A person has at least one citizenship.");
            item.RuleForEach(i => i.Citizenships).Citizenship();
        });
    }
}

internal sealed class SubmitAttestationHandler : ICommandHandler<SubmitAttestation, AttestationResult>
{
    public async Task<Outcome<AttestationResult>> HandleAsync(SubmitAttestation command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        if (command.VendorId != context.Actor.VendorId)
        {
            return Outcome<AttestationResult>.NotFound("The vendor");
        }
        var ids = command.Items.Select(i => i.PersonId).ToList();
        var people = await db.People.VisibleTo(context.Actor).Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var missing = ids.Where(id => !people.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            return Outcome<AttestationResult>.NotFound($"Person {missing[0]}");
        }

        var corrected = 0;
        foreach (var item in command.Items)
        {
            var person = people[item.PersonId];
            var citizenships = item.Citizenships.Select(c => c.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
            var changed = false;
            if (!string.Equals(person.WorkCountry, item.WorkCountry, StringComparison.OrdinalIgnoreCase) || person.WorkCity != item.WorkCity.Trim())
            {
                person.MoveTo(item.WorkCountry, item.WorkCity.Trim());
                changed = true;
            }
            if (!person.Citizenships.SequenceEqual(citizenships))
            {
                person.SetNationality(citizenships, person.CountryOfBirth, person.UsLawfulPermanentResident);
                changed = true;
            }
            corrected += changed ? 1 : 0;
            person.WithAttestation(context.Today);
        }
        db.FactSource = FactSource.Attested;
        var attestation = new LocationAttestation(Guid.CreateVersion7(), command.VendorId, command.Statement.Trim(), command.Items,
            context.Actor.UserId, context.Actor.DisplayName, AuditChain.ToStoredPrecision(context.Now));
        db.LocationAttestations.Add(attestation);
        return Outcome<AttestationResult>.OkAfterSave(() =>
            new AttestationResult(attestation.Id, attestation.ContentHash, command.Items.Count, corrected, db.Consequences.ToView()));
    }
}
