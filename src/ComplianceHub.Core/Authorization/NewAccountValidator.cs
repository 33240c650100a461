using FluentValidation;

namespace ComplianceHub.Core.Authorization;

/// <summary>The shape of a new account; the same validator backs the admin form and <see cref="AccountService"/>.</summary>
public sealed class NewAccountValidator : AbstractValidator<NewAccount>
{
    public NewAccountValidator()
    {
        RuleFor(a => a.Email).NotEmpty().WithMessage("Enter an email address.")
            .MaximumLength(256).EmailAddress().WithMessage("Enter a valid email address.");
        RuleFor(a => a.DisplayName).NotEmpty().WithMessage("Enter a display name.").MaximumLength(200);
        RuleFor(a => a.Role).Must(r => Roles.All.Contains(r))
            .WithMessage($"Choose one of: {string.Join(", ", Roles.All.Select(Roles.DisplayName))}.");
        RuleFor(a => a.VendorId).NotNull().When(a => a.Role == Roles.VendorRepresentative)
            .WithMessage("A vendor representative must be bound to a vendor.");
        RuleFor(a => a.VendorId).Null().When(a => a.Role != Roles.VendorRepresentative)
            .WithMessage("Only a vendor representative is bound to a vendor.");
        RuleFor(a => a.Password).NotEmpty().WithMessage("Enter an initial password.")
            .MinimumLength(15).WithMessage("The password needs at least 15 characters.")
            .MaximumLength(128)
            .When(a => !a.ServiceAccount);
        RuleFor(a => a.Role).Must(NewAccount.ServiceAccountRoles.Contains).When(a => a.ServiceAccount)
            .WithMessage("A service account is a vendor representative (a roster sync) or an auditor (an evidence pull), never an officer or administrator.");
    }
}
