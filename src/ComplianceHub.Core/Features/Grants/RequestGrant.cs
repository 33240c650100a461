using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// Request access for a person to a system. Active at once when a contracting officer asks for a US person on IL2;
/// pending a second officer's approval for IL4+ systems, for people who are not US persons, and for every request a
/// vendor representative makes. Refused (nothing written) when a blocking rule fails. With <see cref="DryRun"/> the request
/// runs through the gate and is rolled back: the answer (refused with the rules, or the would-be grant and its warnings)
/// is exactly what applying would give, and nothing is written — the grant dialog's live rule preview.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record RequestGrant(Guid PersonId, Guid SystemId, AccessType AccessType, bool Escorted, DateOnly StartsOn,
    DateOnly? EndsOn, string? Justification, bool DryRun = false) : ICommand<GrantView>, ICanDryRun;

public sealed class RequestGrantValidator : AbstractValidator<RequestGrant>
{
    public RequestGrantValidator()
    {
        RuleFor(c => c.PersonId).NotEmpty();
        RuleFor(c => c.SystemId).NotEmpty();
        RuleFor(c => c.AccessType).IsInEnum();
        RuleFor(c => c.EndsOn).GreaterThanOrEqualTo(c => c.StartsOn).When(c => c.EndsOn is not null)
            .WithMessage("The end date must not be before the start date.");
        RuleFor(c => c.Justification).MaximumLength(2000);
    }
}

internal sealed class RequestGrantHandler : ICommandHandler<RequestGrant, GrantView>
{
    /// <summary>
    /// The person (within the vendor scope: a representative's own vendor, or every vendor) and the system, in one round
    /// trip, both tracked so the gate evaluates them without reading them again; and in the same round trip whether the person
    /// has any escort assignment on the system and any code contribution — nearly always none, and then the gate skips
    /// asking (<see cref="Gate.KnownEmpty"/>). Compiled: a request is the portal's most frequent single change, and
    /// building the query from LINQ each time cost as much as running it (issue 16).
    /// </summary>
    private static readonly Func<ComplianceDbContext, Guid, Guid, CancellationToken, Task<PersonAndSystem?>> OfAnyVendor =
        EF.CompileAsyncQuery((ComplianceDbContext db, Guid personId, Guid systemId, CancellationToken _) =>
            db.People.Where(p => p.Id == personId)
                .Select(p => new PersonAndSystem(p, db.Systems.SingleOrDefault(s => s.Id == systemId),
                    db.EscortAssignments.Any(a => a.PersonId == personId && a.SystemId == systemId),
                    db.CodeContributions.Any(c => c.PersonId == personId)))
                .SingleOrDefault());

    private static readonly Func<ComplianceDbContext, Guid, Guid, Guid, CancellationToken, Task<PersonAndSystem?>> OfVendor =
        EF.CompileAsyncQuery((ComplianceDbContext db, Guid personId, Guid systemId, Guid vendorId, CancellationToken _) =>
            db.People.Where(p => p.Id == personId && p.VendorId == vendorId)
                .Select(p => new PersonAndSystem(p, db.Systems.SingleOrDefault(s => s.Id == systemId),
                    db.EscortAssignments.Any(a => a.PersonId == personId && a.SystemId == systemId),
                    db.CodeContributions.Any(c => c.PersonId == personId)))
                .SingleOrDefault());

    private sealed record PersonAndSystem(Person Person, CloudSystem? System, bool HasEscortAssignments, bool HasCodeContributions);

    public async Task<Outcome<GrantView>> HandleAsync(RequestGrant command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        // Vendor scope in the query (as VendorScope.VisibleTo): a representative cannot even learn that another vendor's
        // person exists.
        var actor = context.Actor;
        var found = actor.IsVendorRepresentative
            ? await OfVendor(db, command.PersonId, command.SystemId, actor.VendorId ?? Guid.Empty, ct)
            : await OfAnyVendor(db, command.PersonId, command.SystemId, ct);
        // An officer of a contracting office: the person's vendor must be one the office holds (ADR 0028).
        if (found is null || !actor.Sees(found.Person.VendorId))
        {
            return Outcome<GrantView>.NotFound("The person");
        }
        if (found.System is not { } system)
        {
            return Outcome<GrantView>.NotFound("The system");
        }
        var person = found.Person;
        if (!found.HasEscortAssignments)
        {
            db.KnownEmpty.EscortAssignments.Add((person.Id, system.Id));
        }
        if (!found.HasCodeContributions)
        {
            db.KnownEmpty.CodeContributions.Add(person.Id);
        }

        var needsSecondApprover = context.Actor.IsVendorRepresentative || system.ToFacts().IsIl4OrAbove || !person.IsUsPerson;
        var grant = AccessGrant.Request(Guid.CreateVersion7(), person.Id, system.Id, command.AccessType, command.Escorted,
            command.StartsOn, command.EndsOn, command.Justification?.Trim(), context.Actor.UserId, context.Now, needsSecondApprover);
        db.Grants.Add(grant);
        // A grant that passes may still fail rules that only warn; the gate reports them for this grant.
        return Outcome<GrantView>.OkAfterSave(() => GrantView.From(grant), () => db.Outcomes.GetValueOrDefault(grant) ?? []);
    }
}
