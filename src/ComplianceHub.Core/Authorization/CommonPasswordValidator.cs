using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Identity;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Refuses a password built on a common one or on its holder's own name (NIST SP 800-63B 3.1.1.2, ASVS 5.0 V6.2.4 and
/// V6.2.11): the whole password, the password without the digits and symbols around it ("Password2026!!!"), or its letters
/// alone ("Q1w2e3r4t5y6!!!") among the 10,000 most common passwords of leaked corpora; or a word of four letters or more from
/// the account's e-mail name or display name inside it. The length and character rules of <see cref="IdentitySetup"/>
/// apply besides.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    private static readonly Lazy<FrozenSet<string>> Common = new(Load);

    /// <summary>How many common passwords are known (the embedded list).</summary>
    public static int Count => Common.Value.Count;

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        var lower = (password ?? "").ToLowerInvariant();
        var core = lower.Trim(lower.Where(c => !char.IsLetter(c)).Distinct().ToArray());
        var letters = new string(lower.Where(char.IsLetter).ToArray());
        if (Common.Value.Contains(lower) || (core.Length >= 4 && Common.Value.Contains(core)) || (letters.Length >= 4 && Common.Value.Contains(letters)))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "CommonPassword",
                Description = "This password is built on one of the most common passwords, the first that attackers try. " +
                              "Choose one that is not: a few unrelated words work well.",
            }));
        }
        if (PersonalWords(user).FirstOrDefault(w => lower.Contains(w, StringComparison.Ordinal)) is { } word)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "PersonalPassword",
                Description = $"This password contains \"{word}\" from the account's name or e-mail address, which others can guess. Choose one without it.",
            }));
        }
        return Task.FromResult(IdentityResult.Success);
    }

    /// <summary>The words of four letters or more in the account's e-mail name (before the @) and display name.</summary>
    private static IEnumerable<string> PersonalWords(ApplicationUser user) =>
        $"{(user.Email ?? "").Split('@')[0]} {user.DisplayName}"
            .ToLowerInvariant()
            .Split([' ', '.', '_', '-', '+', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetter).ToArray()))
            .Where(w => w.Length >= 4)
            .Distinct();

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("ComplianceHub.Core.Authorization.common-passwords.txt")
                           ?? throw new InvalidOperationException("The common-password list is not embedded in ComplianceHub.Core.");
        using var reader = new StreamReader(stream);
        var all = new List<string>(10_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                all.Add(line);
            }
        }
        return all.ToFrozenSet(StringComparer.Ordinal);
    }
}
