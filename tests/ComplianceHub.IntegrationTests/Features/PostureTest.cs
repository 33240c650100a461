using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features;

/// <summary>
/// Read models over a vendor of the test's own (beside the demo vendors), so the numbers a test expects are exactly the
/// people it added.
/// </summary>
public abstract class PostureTest(string prefix) : CommandPortalTest(prefix)
{
    protected Guid Zenith { get; private set; }

    protected Actor ZenithRep => new(ZenithRepId, "Sam Zenith", Roles.VendorRepresentative, Zenith, "Zenith Orbital");

    private static readonly Guid ZenithRepId = Guid.NewGuid();

    protected override async Task ArrangePeopleAsync()
    {
        var vendor = await SendAsync(Co1, new CreateVendor("Zenith Orbital", "4ZNTH", "ZENITHORB004"));
        Assert.True(vendor.IsOk, vendor.Message);
        Zenith = vendor.Value!.Id;
        await ArrangeVendorAsync();
    }

    /// <summary>Adds the people of the test's vendor.</summary>
    protected abstract Task ArrangeVendorAsync();

    /// <summary>A Zenith employee vetted to T5 (unless said otherwise), with the facts given; attested <paramref name="attestedDaysAgo"/> days ago (null: never).</summary>
    protected async Task<Guid> AddAsync(string name, string citizenships, string work = "US", bool lpr = false,
        EscortQualification qualification = EscortQualification.None, int? attestedDaysAgo = 3, InvestigationTier tier = InvestigationTier.T5,
        Guid? vendor = null)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.add-person");
        var list = citizenships.Split(',');
        var person = new Person(Guid.NewGuid(), vendor ?? Zenith, $"Z-{Guid.NewGuid():N}"[..12], name, "staff@zenith.example",
                EmployerType.VendorEmployee, list, list[^1], lpr, work, work == "US" ? "Colorado Springs" : "Abroad")
            .WithVetting(tier, Today.AddYears(-1), true, Clearance.Secret, Today.AddMonths(-6))
            .WithEscortQualification(qualification, Today.AddMonths(-2));
        if (attestedDaysAgo is { } days)
        {
            person.WithAttestation(Today.AddDays(-days));
        }
        db.People.Add(person);
        db.FactsEffectiveOn = Today.AddYears(-1);
        await db.SaveChangesAsync();
        return person.Id;
    }

    /// <summary>A read model built as DI builds it (its context factory and the test's clock).</summary>
    protected T Query<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Portal.Services);
}
