using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>A personal access token as listed (never the secret).</summary>
public sealed record ApiTokenView(Guid Id, string Name, Guid OwnerUserId, string Hint, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public static ApiTokenView From(ApiToken t) => new(t.Id, t.Name, t.OwnerUserId, t.Hint, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}

/// <summary>A new token with its secret, shown this once.</summary>
public sealed record CreatedApiToken(ApiTokenView Token, string Secret);

/// <summary>An administrator creates a personal access token for a service account (at most a year; never for an administrator).</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record CreateApiToken(string Name, Guid OwnerUserId, DateOnly ExpiresOn) : ICommand<CreatedApiToken>;

/// <summary>An administrator revokes a personal access token; it stops working at once.</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record RevokeApiToken(Guid TokenId) : ICommand<ApiTokenView>;

public sealed class CreateApiTokenValidator : AbstractValidator<CreateApiToken>
{
    public CreateApiTokenValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
        RuleFor(c => c.OwnerUserId).NotEmpty();
    }
}

internal sealed class CreateApiTokenHandler : ICommandHandler<CreateApiToken, CreatedApiToken>
{
    public async Task<Outcome<CreatedApiToken>> HandleAsync(CreateApiToken command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var role = await (from ur in db.UserRoles
                          join r in db.Roles on ur.RoleId equals r.Id
                          where ur.UserId == command.OwnerUserId
                          select r.Name).FirstOrDefaultAsync(ct);
        if (role is null)
        {
            return Outcome<CreatedApiToken>.NotFound("The account");
        }
        var errors = new Dictionary<string, string[]>();
        if (role == Roles.Administrator)
        {
            errors[nameof(CreateApiToken.OwnerUserId)] = ["Administrators do not get long-lived tokens; create the token for a service account."];
        }
        if (command.ExpiresOn <= context.Today || command.ExpiresOn > context.Today.AddDays(365))
        {
            errors[nameof(CreateApiToken.ExpiresOn)] = ["A token expires after today and within 365 days."];
        }
        if (errors.Count > 0)
        {
            return Outcome<CreatedApiToken>.Invalid(errors);
        }
        var expires = new DateTimeOffset(command.ExpiresOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var (token, secret) = ApiToken.Create(command.Name.Trim(), command.OwnerUserId, context.Actor.UserId, context.Now, expires);
        db.ApiTokens.Add(token);
        return Outcome<CreatedApiToken>.Ok(new CreatedApiToken(ApiTokenView.From(token), secret));
    }
}

internal sealed class RevokeApiTokenHandler : ICommandHandler<RevokeApiToken, ApiTokenView>
{
    public async Task<Outcome<ApiTokenView>> HandleAsync(RevokeApiToken command, CommandContext context, CancellationToken ct)
    {
        var token = await context.Db.ApiTokens.SingleOrDefaultAsync(t => t.Id == command.TokenId, ct);
        if (token is null)
        {
            return Outcome<ApiTokenView>.NotFound("The token");
        }
        token.Revoke(context.Actor.UserId, context.Now);
        return Outcome<ApiTokenView>.Ok(ApiTokenView.From(token));
    }
}
