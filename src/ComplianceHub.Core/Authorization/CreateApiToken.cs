using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>A personal access token as listed (never the secret).</summary>
public sealed record ApiTokenView(Guid Id, string Name, Guid OwnerUserId, string Hint, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    /// <summary>What the token may do.</summary>
    public ApiTokenScope Scope { get; init; }

    /// <summary>The writes a token of scope <see cref="ApiTokenScope.Operations"/> may perform; empty for the other scopes.</summary>
    public IReadOnlyList<string> Operations { get; init; } = [];

    public static ApiTokenView From(ApiToken t) => new(t.Id, t.Name, t.OwnerUserId, t.Hint, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt)
    {
        Scope = t.Scope,
        Operations = t.Operations,
    };
}

/// <summary>A new token with its secret, shown this once.</summary>
public sealed record CreatedApiToken(ApiTokenView Token, string Secret);

/// <summary>
/// An administrator creates a personal access token for a service account — only for one (a person signs in, with a second
/// factor, and never holds a long-lived token) — for at most <see cref="MaxDays"/> days, read-only unless asked otherwise.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record CreateApiToken(string Name, Guid OwnerUserId, DateOnly ExpiresOn, ApiTokenScope Scope = ApiTokenScope.ReadOnly,
    IReadOnlyList<string>? Operations = null) : ICommand<CreatedApiToken>
{
    /// <summary>The longest a token lives; rotate it before then.</summary>
    public const int MaxDays = 90;
}

public sealed class CreateApiTokenValidator : AbstractValidator<CreateApiToken>
{
    public CreateApiTokenValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
        RuleFor(c => c.OwnerUserId).NotEmpty();
        RuleFor(c => c.Scope).IsInEnum();
    }
}

internal sealed class CreateApiTokenHandler : ICommandHandler<CreateApiToken, CreatedApiToken>
{
    public async Task<Outcome<CreatedApiToken>> HandleAsync(CreateApiToken command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var owner = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where u.Id == command.OwnerUserId
                           select new { r.Name, u.IsServiceAccount, u.DisabledAt }).FirstOrDefaultAsync(ct);
        if (owner is null)
        {
            return Outcome<CreatedApiToken>.NotFound("The account");
        }
        var errors = new Dictionary<string, string[]>();
        if (!owner.IsServiceAccount || !NewAccount.ServiceAccountRoles.Contains(owner.Name!))
        {
            errors[nameof(CreateApiToken.OwnerUserId)] = ["Personal access tokens are only for service accounts (a vendor representative or " +
                "auditor account created as a service account for the system that will use the token); people sign in instead."];
        }
        else if (owner.DisabledAt is not null)
        {
            errors[nameof(CreateApiToken.OwnerUserId)] = ["The service account is disabled; enable it first."];
        }
        var operations = command.Operations ?? [];
        if (command.Scope == ApiTokenScope.Operations)
        {
            var unknown = operations.Where(o => !CommandCatalogue.Operations.ContainsKey(o)).ToList();
            var notForRole = operations.Except(unknown).Where(o => !CommandCatalogue.Operations[o].Contains(owner.Name!)).ToList();
            if (operations.Count == 0)
            {
                errors[nameof(CreateApiToken.Operations)] = ["Name the operations the token may perform, e.g. import-roster."];
            }
            else if (unknown.Count > 0)
            {
                errors[nameof(CreateApiToken.Operations)] = [$"No such operation: {string.Join(", ", unknown)}. GET /api/v1/tokens/operations lists them."];
            }
            else if (notForRole.Count > 0)
            {
                errors[nameof(CreateApiToken.Operations)] = [$"The service account's role ({Roles.DisplayName(owner.Name!)}) may not perform: {string.Join(", ", notForRole)}."];
            }
        }
        else if (operations.Count > 0)
        {
            errors[nameof(CreateApiToken.Operations)] = ["Operations are named only for a token of scope Operations; a read-write token may perform every write of its account."];
        }
        if (command.ExpiresOn <= context.Today || command.ExpiresOn > context.Today.AddDays(CreateApiToken.MaxDays))
        {
            errors[nameof(CreateApiToken.ExpiresOn)] = [$"A token expires after today and within {CreateApiToken.MaxDays} days; rotate it before then."];
        }
        if (errors.Count > 0)
        {
            return Outcome<CreatedApiToken>.Invalid(errors);
        }
        var expires = new DateTimeOffset(command.ExpiresOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var (token, secret) = ApiToken.Create(command.Name.Trim(), command.OwnerUserId, context.Actor.UserId, context.Now, expires, command.Scope, operations);
        db.ApiTokens.Add(token);
        return Outcome<CreatedApiToken>.Ok(new CreatedApiToken(ApiTokenView.From(token), secret));
    }
}
