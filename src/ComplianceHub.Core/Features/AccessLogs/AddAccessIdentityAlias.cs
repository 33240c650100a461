using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessLogs;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>An identity alias as the person page and the API show it, with how many logged events it matched when added.</summary>
public sealed record AccessIdentityAliasView(Guid Id, Guid PersonId, string Identity, int EventsMatched, string AddedBy, DateTimeOffset AddedAt);

/// <summary>
/// Names the person behind an identity of the access logs that matched nobody (a Linux user name, an AWS user, a UPN of another
/// domain). Every unmatched event of the vendor with that identity is given the person, in the same change, and the gate
/// evaluates the person's grants against the evidence. One identity names one person of a vendor; an alias is not removed
/// (the events it matched are evidence about that person — ADR 0048).
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record AddAccessIdentityAlias(Guid PersonId, string Identity) : ICommand<AccessIdentityAliasView>;

public sealed class AddAccessIdentityAliasValidator : AbstractValidator<AddAccessIdentityAlias>
{
    public AddAccessIdentityAliasValidator()
    {
        RuleFor(c => c.PersonId).NotEmpty().WithMessage("Choose the person.");
        RuleFor(c => c.Identity).NotEmpty().WithMessage("Enter the identity as the log names it (a user name, an e-mail or a UPN).")
            .MaximumLength(320).WithMessage("The identity is longer than 320 characters.");
    }
}

internal sealed class AddAccessIdentityAliasHandler : ICommandHandler<AddAccessIdentityAlias, AccessIdentityAliasView>
{
    public async Task<Outcome<AccessIdentityAliasView>> HandleAsync(AddAccessIdentityAlias command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var person = await db.People.AsNoTracking().VisibleTo(context.Actor).SingleOrDefaultAsync(p => p.Id == command.PersonId, ct);
        if (person is null)
        {
            return Outcome<AccessIdentityAliasView>.NotFound("The person");
        }
        var identity = AccessIdentityAlias.Normalize(command.Identity);
        var taken = await db.AccessIdentityAliases.AsNoTracking().Where(a => a.VendorId == person.VendorId && a.Identity == identity)
            .Select(a => a.PersonId).ToListAsync(ct);
        var owner = taken.Count > 0 ? taken[0]
            : await db.People.Where(p => p.VendorId == person.VendorId && p.Id != person.Id && p.Email.ToLower() == identity).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        if (owner is { } other)
        {
            var name = other == person.Id ? "this person" : await db.People.Where(p => p.Id == other).Select(p => p.FullName).SingleAsync(ct);
            return Outcome<AccessIdentityAliasView>.Invalid(new Dictionary<string, string[]>
            {
                [nameof(AddAccessIdentityAlias.Identity)] = [taken.Count > 0
                    ? $"{identity} already names {name}."
                    : $"{identity} is the roster e-mail of {name}: the logs already match it to them."],
            });
        }
        var alias = new AccessIdentityAlias(Guid.CreateVersion7(), person.VendorId, person.Id, identity, context.Actor.UserId, context.Actor.DisplayName, context.Now);
        // The vendor's unmatched events with this identity become the person's, in this change (the only change access events allow).
        await using (var update = new NpgsqlCommand(
            "UPDATE access_events SET person_id = @person WHERE vendor_id = @vendor AND identity = @identity AND person_id IS NULL",
            (NpgsqlConnection)db.Database.GetDbConnection()) { CommandTimeout = 600 })
        {
            update.Parameters.AddWithValue("person", person.Id);
            update.Parameters.AddWithValue("vendor", person.VendorId);
            update.Parameters.AddWithValue("identity", identity);
            alias.Matched(await update.ExecuteNonQueryAsync(ct));
        }
        db.AccessIdentityAliases.Add(alias);
        db.EvidenceChanged([person.Id]);
        return Outcome<AccessIdentityAliasView>.Ok(new AccessIdentityAliasView(alias.Id, alias.PersonId, alias.Identity, alias.EventsMatched, alias.AddedByName, alias.AddedAt));
    }
}
