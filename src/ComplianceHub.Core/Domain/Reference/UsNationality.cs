namespace ComplianceHub.Core.Domain.Reference;

/// <summary>
/// What birth in a US territory makes a person, read once for the rules, the population groups and the input checks:
/// born in Puerto Rico, Guam, the US Virgin Islands or the Northern Mariana Islands, a US citizen (8 U.S.C. 1402, 1407,
/// 1406; 48 U.S.C. 1801 note, Covenant sec. 303); born in American Samoa (or Swains Island), a US national who is not a
/// citizen (8 U.S.C. 1408) — a US person all the same (22 CFR 120.62 by way of 8 U.S.C. 1324b(a)(3)). The codes of the
/// citizen territories are places, not nationalities: as a citizenship they are refused with <see cref="NotANationality"/>.
/// American Samoa's code is accepted as a citizenship and read as "US national", since a non-citizen national has no other
/// nationality to record.
/// </summary>
public static class UsNationality
{
    /// <summary>The US citizenship code.</summary>
    public const string Us = "US";

    /// <summary>Territories whose births are US citizens.</summary>
    public static readonly string[] CitizenByBirth = ["PR", "GU", "VI", "MP"];

    /// <summary>Territories whose births are US nationals but not citizens.</summary>
    public static readonly string[] NationalByBirth = ["AS"];

    /// <summary>A US citizen: holding US citizenship, or born in a territory whose births are citizens.</summary>
    public static bool IsCitizen(IEnumerable<string> citizenships, string countryOfBirth) =>
        citizenships.Contains(Us) || CitizenByBirth.Contains(countryOfBirth);

    /// <summary>A US national (citizen or not): a citizen, or born in American Samoa, or recorded with its code as a citizenship.</summary>
    public static bool IsNational(IEnumerable<string> citizenships, string countryOfBirth) =>
        IsCitizen(citizenships, countryOfBirth) || NationalByBirth.Contains(countryOfBirth) || citizenships.Any(NationalByBirth.Contains);

    /// <summary>
    /// Why <paramref name="code"/> cannot be entered as a citizenship (a US territory is not a nationality), or null when it
    /// can. Written for the person filling in the form.
    /// </summary>
    public static string? NotANationality(string? code)
    {
        var upper = code?.Trim().ToUpperInvariant() ?? "";
        if (CitizenByBirth.Contains(upper))
        {
            return $"{Iso3166.NameOf(upper)} ({upper}) is a US territory, not a nationality: people born there are US citizens. "
                + $"Enter the citizenship United States (US), and {Iso3166.NameOf(upper)} as the country of birth.";
        }
        return null;
    }
}
