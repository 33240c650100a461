using System.Globalization;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// How big a scale population is: people, grants and audit events. <see cref="Full"/> is the product's promise
/// (DESIGN.md section 8: 200,000 people, 1,000,000 grants, 10,000,000 audit events on one server).
/// </summary>
public sealed record ScaleSize(int People, int Grants, long AuditEvents)
{
    public static ScaleSize Full { get; } = new(200_000, 1_000_000, 10_000_000);

    /// <summary>The full size times <paramref name="fraction"/> (0.1 is the bench's --quick), never below a few hundred people.</summary>
    public static ScaleSize Fraction(double fraction)
    {
        if (fraction is <= 0 or > 10)
        {
            throw new ArgumentException($"--scale must be above 0 and at most 10 (got {fraction.ToString(CultureInfo.InvariantCulture)}).");
        }
        return new ScaleSize(Math.Max(300, (int)(Full.People * fraction)), Math.Max(1_500, (int)(Full.Grants * fraction)),
            Math.Max(15_000, (long)(Full.AuditEvents * fraction)));
    }

    /// <summary>
    /// Reads <c>--scale f</c>, <c>--people n</c>, <c>--grants n</c>, <c>--audit-events n</c> (explicit counts override the
    /// fraction); null when none is given (plain <c>seed</c>: the demo data only).
    /// </summary>
    public static ScaleSize? FromArgs(IReadOnlyList<string> args)
    {
        string? Option(string name)
        {
            for (var i = 0; i < args.Count - 1; i++)
            {
                if (args[i] == name)
                {
                    return args[i + 1];
                }
            }
            return null;
        }
        var scale = Option("--scale");
        var people = Option("--people");
        var grants = Option("--grants");
        var events = Option("--audit-events");
        if (scale is null && people is null && grants is null && events is null)
        {
            return null;
        }
        var size = scale is null ? Full : Fraction(double.Parse(scale, CultureInfo.InvariantCulture));
        static long Count(string name, string value) =>
            long.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"{name} takes a positive whole number (got '{value}').");
        size = size with
        {
            People = people is null ? size.People : (int)Count("--people", people),
            Grants = grants is null ? size.Grants : (int)Count("--grants", grants),
            AuditEvents = events is null ? size.AuditEvents : Count("--audit-events", events),
        };
        if (size.People < 100)
        {
            throw new ArgumentException("A scale population has at least 100 people.");
        }
        return size;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{People:N0} people, {Grants:N0} grants, {AuditEvents:N0} audit events");
}
