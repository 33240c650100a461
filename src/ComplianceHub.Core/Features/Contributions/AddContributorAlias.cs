using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>A person's alias as the person page and the API show it.</summary>
public sealed record ContributorAliasView(Guid Id, Guid PersonId, string Email, string AddedBy, DateTimeOffset AddedAt);

/// <summary>
/// Adds an e-mail address a person commits under. The gate then re-matches every contribution of the vendor by that address
/// to the person and flags them — this is how an unmatched or ambiguous author is resolved.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record AddContributorAlias(Guid PersonId, string Email) : ICommand<ContributorAliasView>;

public sealed class AddContributorAliasValidator : AbstractValidator<AddContributorAlias>
{
    public AddContributorAliasValidator()
    {
        RuleFor(c => c.PersonId).NotEmpty().WithMessage("Choose the person.");
        RuleFor(c => c.Email).NotEmpty().WithMessage("Enter the e-mail address the person commits under.")
            .MaximumLength(320).EmailAddress().WithMessage("Enter an e-mail address.");
    }
}

internal sealed class AddContributorAliasHandler : ICommandHandler<AddContributorAlias, ContributorAliasView>
{
    public async Task<Outcome<ContributorAliasView>> HandleAsync(AddContributorAlias command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var person = await db.People.AsNoTracking().VisibleTo(context.Actor).SingleOrDefaultAsync(p => p.Id == command.PersonId, ct);
        if (person is null)
        {
            return Outcome<ContributorAliasView>.NotFound("The person");
        }
        var email = CodeContribution.NormalizeEmail(command.Email);
        var taken = await db.ContributorAliases.AsNoTracking().Where(a => a.VendorId == person.VendorId && a.Email == email)
            .Select(a => new { a.PersonId }).SingleOrDefaultAsync(ct);
        if (taken is not null)
        {
            var owner = taken.PersonId == person.Id ? "this person" : await db.People.Where(p => p.Id == taken.PersonId).Select(p => p.FullName).SingleAsync(ct);
            return Outcome<ContributorAliasView>.Invalid(new Dictionary<string, string[]>
            {
                ["Email"] = [$"{email} is already an alias of {owner}; remove it there first."],
            });
        }
        var alias = new ContributorAlias(Guid.CreateVersion7(), person.VendorId, person.Id, email, context.Actor.UserId, context.Actor.DisplayName, context.Now);
        db.ContributorAliases.Add(alias);
        return Outcome<ContributorAliasView>.Ok(new ContributorAliasView(alias.Id, alias.PersonId, alias.Email, alias.AddedByName, alias.AddedAt));
    }
}
