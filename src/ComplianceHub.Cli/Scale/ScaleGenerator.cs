using ComplianceHub.Core.Domain.Findings;
using System.Globalization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// Makes the scale population, batch by batch, with realistic distributions: vendors of very different sizes, most people
/// US citizens working in the US, some dual nationals, US permanent residents and foreign nationals (escorted), a few
/// working in covered countries (on the roster, refused any access), some who moved there later (their grants suspended),
/// some whose attestation is overdue (suspended), some offboarded (grants revoked); ten years of grants, each decided by
/// the real rules (<see cref="PolicyEvaluator"/>) on the facts of its day, so statuses, findings and rule outcomes are
/// what the gate would have produced. Deterministic (fixed random seeds).
/// </summary>
internal sealed class ScaleGenerator
{
    public const int SystemCount = 60;

    private static readonly string[] FirstNames =
    [
        "Aaron", "Abigail", "Adrian", "Aisha", "Alan", "Alicia", "Amir", "Ana", "Andre", "Angela", "Arjun", "Ava", "Benjamin", "Bianca", "Brandon",
        "Brianna", "Caleb", "Carla", "Carlos", "Chloe", "Christopher", "Claire", "Daniel", "Deepa", "Derek", "Diana", "Dylan", "Elena", "Eli", "Emily",
        "Eric", "Esther", "Ethan", "Fatima", "Felix", "Fiona", "Gavin", "Grace", "Hannah", "Hector", "Isaac", "Isabel", "Jacob", "Jasmine", "Jason",
        "Julia", "Kevin", "Kimberly", "Lamar", "Laura", "Leo", "Lily", "Lucas", "Madison", "Marcus", "Maria", "Mateo", "Megan", "Miguel", "Nadia",
        "Nathan", "Nicole", "Omar", "Olivia", "Patrick", "Priya", "Rachel", "Rahul", "Rebecca", "Ricardo", "Samuel", "Sara", "Sean", "Sofia", "Steven",
        "Tanya", "Thomas", "Valerie", "Victor", "Wei", "William", "Yusuf", "Zoe", "Zachary",
    ];

    private static readonly string[] LastNames =
    [
        "Adams", "Alvarez", "Anderson", "Bailey", "Baker", "Bennett", "Brooks", "Brown", "Campbell", "Carter", "Castillo", "Chang", "Clark", "Collins",
        "Cooper", "Cruz", "Davis", "Edwards", "Evans", "Fernandez", "Flores", "Foster", "Garcia", "Gomez", "Gonzalez", "Gray", "Green", "Hall", "Harris",
        "Hernandez", "Hill", "Howard", "Hughes", "Iyer", "Jackson", "James", "Jenkins", "Johnson", "Kelly", "Kim", "King", "Kumar", "Lee", "Lewis",
        "Lopez", "Martin", "Martinez", "Mehta", "Miller", "Mitchell", "Morgan", "Morris", "Murphy", "Nelson", "Nguyen", "Ortiz", "Parker", "Perez",
        "Peterson", "Phillips", "Price", "Ramirez", "Reed", "Richardson", "Rivera", "Roberts", "Robinson", "Rodriguez", "Rogers", "Ross", "Russell",
        "Sanchez", "Sanders", "Scott", "Shah", "Singh", "Smith", "Stewart", "Sullivan", "Taylor", "Thomas", "Thompson", "Torres", "Turner", "Walker",
        "Ward", "Watson", "White", "Williams", "Wilson", "Wong", "Wright", "Young", "Zhang",
    ];

    private static readonly string[] UsCities = ["Reston", "Herndon", "Arlington", "San Antonio", "Huntsville", "Colorado Springs", "San Diego", "Tampa",
        "Dayton", "Columbia", "Seattle", "Austin", "Omaha", "Norfolk", "Chantilly"];

    private static readonly string[] Justifications =
    [
        "Operations support under the contract's task order", "Database administration for the program office", "Incident response on call rotation",
        "Release engineering for the quarterly baseline", "Data migration for the records consolidation", "Monitoring and patching of the platform",
    ];

    private readonly ScaleSize size;
    private readonly IReadOnlyList<Guid> vendorIds;
    private readonly double[] vendorCumulative;
    private readonly IReadOnlyList<ScaleSystem> systems;
    private readonly double[] systemCumulative;
    private readonly IReadOnlyList<ScaleSystem> il2Systems;
    private readonly PolicyParameters policy;
    private readonly int policyNumber;
    private readonly DateTimeOffset now;
    private readonly DateOnly today;
    private readonly DateTimeOffset start;
    private readonly PersonKind[] kinds;
    private readonly double[] grantWeights;
    private readonly double totalWeight;
    private readonly Random random = new(2026);
    private readonly List<PersonPlan> escorts = [];
    private readonly Dictionary<Guid, int> escortLoad = [];
    private double cumulativeWeight;
    private int grantsPlanned;
    private int escortCursor;

    public ScaleGenerator(ScaleSize size, IReadOnlyList<Guid> vendorIds, IReadOnlyList<ScaleSystem> systems, PolicyParameters policy, int policyNumber,
        DateTimeOffset now)
    {
        this.size = size;
        this.vendorIds = vendorIds;
        this.systems = systems;
        this.policy = policy;
        this.policyNumber = policyNumber;
        this.now = now;
        today = DateOnly.FromDateTime(now.UtcDateTime);
        start = now.AddYears(-10);
        // Vendors of very different sizes (a few large integrators, a long tail of small subcontractors).
        vendorCumulative = Cumulative(vendorIds.Select((_, i) => 1.0 / Math.Pow(i + 1, 0.9)).ToArray());
        systemCumulative = Cumulative(systems.Select(s => s.Weight).ToArray());
        il2Systems = systems.Where(s => s.ImpactLevel == ImpactLevel.IL2).ToList();

        // A first pass decides each person's kind, so the grants can be shared out to reach the requested total exactly.
        var kindRandom = new Random(7);
        var escortCount = Math.Max(10, size.People * 7 / 100);
        kinds = new PersonKind[size.People];
        grantWeights = new double[size.People];
        for (var i = 0; i < size.People; i++)
        {
            kinds[i] = i < escortCount ? PersonKind.Escort : KindOf(kindRandom.NextDouble());
            grantWeights[i] = kinds[i] switch
            {
                PersonKind.UsDualCovered or PersonKind.InCoveredCountry => 0,
                PersonKind.Foreign => 1.2,
                _ => 5.5,
            };
            totalWeight += grantWeights[i];
        }
    }

    public DateOnly Today => today;

    /// <summary>The 60 systems: one large IL4 system (about 19% of the current grants), one smaller IL5 system (about 2%), the rest shared.</summary>
    public static List<ScaleSystem> Systems()
    {
        var list = new List<ScaleSystem>();
        const double big = 0.30, small = 0.027;
        var rest = (1 - big - small) / (SystemCount - 2);
        list.Add(new ScaleSystem(Id(0x5C0000), "Scale: Joint Logistics Data Lake", "Scale Cloud Provider 1", "GovCloud", ImpactLevel.IL4, big));
        list.Add(new ScaleSystem(Id(0x5C0001), "Scale: Medical Records Enclave", "Scale Cloud Provider 2", "DoD-only region", ImpactLevel.IL5, small));
        string[] il2 = ["Public Portal", "Recruiting Site", "Training Catalogue", "Help Desk", "Wiki", "Press Releases", "Open Data", "Events Calendar",
            "Facilities Booking", "Survey Service", "Library Search", "Careers Site", "Newsletter", "Forms Service", "Maps Viewer", "Status Page",
            "Translation Service", "Video Library", "Developer Portal", "Museum Archive"];
        string[] il4 = ["Supply Chain Analytics", "Contracting Workbench", "Budget Planning", "Fleet Maintenance", "Travel System", "Payroll Interface",
            "Logistics Tracking", "Engineering Drawings", "Test Range Scheduling", "Property Book", "Training Records", "Fuel Management",
            "Facilities Management", "Ammunition Tracking", "Parts Catalogue", "Transportation Hub", "Readiness Reporting", "Vendor Collaboration",
            "Energy Dashboard"];
        string[] il5 = ["Personnel Records", "Mission Planning", "Health Data Exchange", "Cyber Operations Logs", "Intelligence Reports Staging",
            "Satellite Telemetry", "Command Messaging", "Weapons Sustainment", "Base Security Video", "Nuclear Logistics Support",
            "Special Programs Finance", "Counterintelligence Cases", "Aircraft Diagnostics"];
        string[] il6 = ["Secret Collaboration", "Targeting Support", "Classified Analytics", "Secret Mail", "Coalition Planning", "Signals Processing"];
        var n = 2;
        foreach (var (names, level, environment) in new[]
                 {
                     (il2, ImpactLevel.IL2, "Commercial region"), (il4, ImpactLevel.IL4, "GovCloud"), (il5, ImpactLevel.IL5, "DoD-only region"),
                     (il6, ImpactLevel.IL6, "Secret region"),
                 })
        {
            foreach (var name in names)
            {
                list.Add(new ScaleSystem(Id(0x5C0000 + n), $"Scale: {name}", $"Scale Cloud Provider {1 + n % 5}", environment, level, rest));
                n++;
            }
        }
        return list;
    }

    /// <summary>Fixed ids for the scale vendors and systems (recognisable: they end in 5CA1E…).</summary>
    public static Guid Id(int n) => Guid.Parse($"0199a000-0000-7000-8000-5ca1e{n:x7}");

    private static PersonKind KindOf(double r) => r switch
    {
        < 0.004 => PersonKind.UsDualCovered,
        < 0.010 => PersonKind.InCoveredCountry,
        < 0.040 => PersonKind.UsDual,
        < 0.100 => PersonKind.Lpr,
        < 0.230 => PersonKind.Foreign,
        _ => PersonKind.UsCitizen,
    };

    /// <summary>People <paramref name="from"/>..<paramref name="to"/>-1 (in creation order) with their grants and escort assignments.</summary>
    public (List<PersonPlan> People, List<GrantPlan> Grants) Batch(int from, int to)
    {
        var people = new List<PersonPlan>(to - from);
        var grants = new List<GrantPlan>();
        for (var i = from; i < to; i++)
        {
            var person = NewPerson(i);
            people.Add(person);
            if (person.Kind == PersonKind.Escort)
            {
                escorts.Add(person);
            }
            cumulativeWeight += grantWeights[i];
            var target = i == size.People - 1 ? size.Grants : (int)Math.Floor(cumulativeWeight * size.Grants / totalWeight);
            var count = Math.Max(0, target - grantsPlanned);
            grantsPlanned += count;
            AddGrants(person, count, grants);
        }
        return (people, grants);
    }

    private PersonPlan NewPerson(int i)
    {
        var r = random;
        var kind = kinds[i];
        var vendorNo = Pick(vendorCumulative, r.NextDouble());
        var first = FirstNames[r.Next(FirstNames.Length)];
        var last = LastNames[r.Next(LastNames.Length)];
        // Created over ten years (escorts are long-serving staff, created first); never later than two days ago.
        var created = start.AddSeconds((now.AddDays(-2) - start).TotalSeconds * (i + r.NextDouble()) / size.People);
        string[] citizenships;
        string birth;
        var lpr = false;
        string country = "US", city = UsCities[r.Next(UsCities.Length)];
        switch (kind)
        {
            case PersonKind.UsDual:
                var other = new[] { "IN", "GB", "IL", "CA", "DE" }[r.Next(5)];
                citizenships = ["US", other];
                birth = r.NextDouble() < 0.5 ? other : "US";
                break;
            case PersonKind.UsDualCovered:
                var covered = r.NextDouble() < 0.75 ? "CN" : "RU";
                citizenships = ["US", covered];
                birth = covered;
                break;
            case PersonKind.Lpr:
                birth = new[] { "IN", "IN", "IN", "PH", "PH", "MX", "MX", "VN", "KR", "NG" }[r.Next(10)];
                citizenships = [birth];
                lpr = true;
                break;
            case PersonKind.Foreign:
                birth = new[] { "IN", "IN", "IN", "GB", "GB", "CA", "CA", "PH", "DE", "BR", "PL", "AU" }[r.Next(12)];
                citizenships = [birth];
                if (r.NextDouble() < 0.45)
                {
                    (country, city) = (birth, birth switch
                    {
                        "IN" => "Bengaluru", "GB" => "London", "CA" => "Ottawa", "PH" => "Manila", "DE" => "Berlin", "BR" => "São Paulo",
                        "PL" => "Warsaw", _ => "Canberra",
                    });
                }
                break;
            case PersonKind.InCoveredCountry:
                (birth, city) = new[] { ("CN", "Shanghai"), ("CN", "Shenzhen"), ("RU", "Moscow"), ("IR", "Tehran"), ("KP", "Pyongyang"), ("CN", "Beijing") }[r.Next(6)];
                citizenships = [birth];
                country = birth;
                break;
            default:
                citizenships = ["US"];
                birth = r.NextDouble() < 0.96 ? "US" : new[] { "PR", "DE", "KR", "MX" }[r.Next(4)];
                if (r.NextDouble() < 0.015)
                {
                    (country, city) = r.NextDouble() < 0.6 ? ("PR", "San Juan") : ("GU", "Hagåtña");
                }
                break;
        }
        var usPerson = citizenships.Contains("US") || lpr;
        var tier = kind == PersonKind.Escort ? InvestigationTier.T5
            : !usPerson ? (r.NextDouble() < 0.5 ? InvestigationTier.None : InvestigationTier.T1)
            : r.NextDouble() switch { < 0.30 => InvestigationTier.T5, < 0.80 => InvestigationTier.T3, < 0.92 => InvestigationTier.T1, _ => InvestigationTier.None };
        var clearance = kind == PersonKind.Escort ? Clearance.TopSecret
            : tier == InvestigationTier.T5 && citizenships.Contains("US") ? (r.NextDouble() < 0.5 ? Clearance.TopSecret : Clearance.Secret)
            : tier == InvestigationTier.T3 && citizenships.Contains("US") ? (r.NextDouble() < 0.6 ? Clearance.Secret : Clearance.None)
            : Clearance.None;
        var createdOn = DateOnly.FromDateTime(created.UtcDateTime);
        DateOnly? adjudicated = tier == InvestigationTier.None ? null : today.AddDays(-r.Next(30, 2_000));
        var overdue = kind != PersonKind.Escort && r.NextDouble() < 0.04;
        var attested = overdue ? today.AddDays(-r.Next(185, 400)) : today.AddDays(-r.Next(0, 27));
        if (attested < createdOn)
        {
            attested = createdOn;
        }
        var seq = (i + 1).ToString("D7", CultureInfo.InvariantCulture);
        var vendor = vendorIds[vendorNo];
        return new PersonPlan
        {
            Id = Guid.CreateVersion7(created),
            Index = i,
            Kind = kind,
            VendorId = vendor,
            EmployeeId = $"SC{vendorNo + 1:D2}-{seq}",
            FullName = $"{first} {last}",
            Email = $"{first}.{last}.{seq}@scale-vendor{vendorNo + 1:D2}.example".ToLowerInvariant(),
            Employer = r.NextDouble() switch { < 0.70 => EmployerType.VendorEmployee, < 0.90 => EmployerType.Subcontractor, _ => EmployerType.StaffingAgency },
            Citizenships = citizenships.Order(StringComparer.Ordinal).ToArray(),
            Birth = birth,
            Lpr = lpr,
            WorkCountry = country,
            WorkCity = city,
            Tier = tier,
            AdjudicatedOn = adjudicated,
            ContinuousVetting = tier != InvestigationTier.None && r.NextDouble() < 0.7,
            Clearance = clearance,
            NdaSignedOn = kind == PersonKind.Escort || r.NextDouble() < 0.93 ? createdOn.AddDays(r.Next(0, 10)) : null,
            EscortQualification = kind == PersonKind.Escort ? EscortQualification.Engineer : EscortQualification.None,
            EscortTrainingOn = kind == PersonKind.Escort ? createdOn.AddDays(r.Next(10, 60)) : null,
            AttestedOn = attested,
            CreatedAt = created,
        };
    }

    private void AddGrants(PersonPlan person, int count, List<GrantPlan> grants)
    {
        var r = random;
        var createdOn = person.CreatedOn;
        // Some leave (every grant revoked when they do); a few US citizens move to a covered country later (grants suspended).
        if (person.Kind != PersonKind.Escort && createdOn < today.AddDays(-200) && r.NextDouble() < 0.06)
        {
            var span = today.AddDays(-5).DayNumber - createdOn.AddDays(120).DayNumber;
            person.TerminatedAt = At(createdOn.AddDays(120 + r.Next(Math.Max(1, span))), 16);
            if (person.AttestedOn > person.TerminatedOn)
            {
                // Nobody attests for someone who has left: the last attestation came before the last day.
                var last = person.TerminatedOn!.Value.AddDays(-r.Next(0, 60));
                person.AttestedOn = last < createdOn ? createdOn : last;
            }
        }
        var canHoldCurrent = person.TerminatedAt is null;
        var currentCount = !canHoldCurrent ? 0 : person.Kind == PersonKind.Foreign ? Math.Min(count, 1) : Math.Min(count, 3);
        var historical = count - currentCount;
        var latestHistoricalStart = (person.TerminatedOn ?? today.AddDays(-40)).AddDays(-1);
        if (historical > 0 && latestHistoricalStart <= createdOn && canHoldCurrent)
        {
            currentCount += historical; // too new for a past grant: it holds more current ones instead
            historical = 0;
        }
        if (person.TerminatedAt is not null && latestHistoricalStart <= createdOn)
        {
            person.TerminatedAt = null;
            return;
        }
        var firstGrant = grants.Count;
        // Only someone who joined before the move can move (the trail records the joining first).
        var mover = person.Kind == PersonKind.UsCitizen && currentCount > 0 && r.NextDouble() < 0.005 && createdOn < today.AddDays(-3);

        var used = new HashSet<Guid>();
        for (var k = 0; k < currentCount; k++)
        {
            var earliest = createdOn > today.AddDays(-300) ? createdOn : today.AddDays(-300);
            var startsOn = earliest.AddDays(r.Next(Math.Max(1, today.AddDays(-1).DayNumber - earliest.DayNumber)));
            if (Plan(person, startsOn, startsOn.AddDays(364), used, current: true) is { } grant)
            {
                grants.Add(grant);
            }
        }
        for (var k = 0; k < historical; k++)
        {
            var startsOn = createdOn.AddDays(r.Next(Math.Max(1, latestHistoricalStart.DayNumber - createdOn.DayNumber)));
            // Ended in the past (a past grant is over): never later than two days ago, nor a day before it started.
            var endsOn = startsOn.AddDays(r.Next(30, 365));
            endsOn = endsOn > today.AddDays(-2) ? (today.AddDays(-2) < startsOn ? startsOn : today.AddDays(-2)) : endsOn;
            if (Plan(person, startsOn, endsOn, null, current: false) is { } grant)
            {
                grants.Add(grant);
            }
        }
        if (mover)
        {
            var movedOn = today.AddDays(-r.Next(2, 25));
            movedOn = movedOn <= createdOn ? createdOn.AddDays(1) : movedOn; // a move comes after joining (the trail's order)
            var (country, city) = new[] { ("CN", "Shenzhen"), ("CN", "Shanghai"), ("RU", "Saint Petersburg"), ("IR", "Tehran"), ("HK", "Hong Kong") }[r.Next(5)];
            person.Moved = (person.WorkCountry, person.WorkCity, At(movedOn, 11));
            person.WorkCountry = country;
            person.WorkCity = city;
        }
        for (var k = firstGrant; k < grants.Count; k++)
        {
            Decide(grants[k]);
        }
    }

    /// <summary>A grant request the rules would accept on its day (another system is tried when they would not), or null.</summary>
    private GrantPlan? Plan(PersonPlan person, DateOnly startsOn, DateOnly endsOn, HashSet<Guid>? used, bool current)
    {
        var r = random;
        var requestedAt = At(startsOn.AddDays(-r.Next(0, 4)), 9 + r.Next(8));
        if (requestedAt < person.CreatedAt)
        {
            requestedAt = person.CreatedAt.AddHours(1);
        }
        var requestDay = DateOnly.FromDateTime(requestedAt.UtcDateTime);
        var facts = person.FactsThen(requestDay.AddDays(-r.Next(0, 20)) < person.CreatedOn ? person.CreatedOn : requestDay.AddDays(-r.Next(0, 20)));
        var escorted = !person.IsUsPerson;
        var accessType = escorted ? AccessType.NonPrivileged
            : r.NextDouble() switch { < 0.55 => AccessType.NonPrivileged, < 0.75 => AccessType.Privileged, < 0.95 => AccessType.Data, _ => AccessType.Physical };
        if (accessType == AccessType.Privileged && person.Tier != InvestigationTier.T5)
        {
            accessType = AccessType.NonPrivileged;
        }
        var context = new RuleContext(policy, policyNumber, requestDay) { Now = requestedAt };
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var system = attempt == 0 ? systems[Pick(systemCumulative, r.NextDouble())] : il2Systems[r.Next(il2Systems.Count)];
            if (used is not null && used.Contains(system.Id))
            {
                continue;
            }
            var id = Guid.CreateVersion7(requestedAt);
            EscortPlan? escort = null;
            var coverage = new List<EscortCoverage>();
            if (escorted)
            {
                var who = NextEscort(startsOn);
                if (who is null)
                {
                    return null;
                }
                escort = new EscortPlan(Guid.CreateVersion7(requestedAt.AddMinutes(-30)), who, person.Id, system.Id, startsOn, endsOn, requestedAt.AddMinutes(-30), []);
                coverage.Add(new EscortCoverage(escort.Id, who.FactsNow(), system.Id, startsOn, endsOn, true));
            }
            var grantFacts = new GrantFacts(id, accessType, escorted, startsOn, endsOn, Justifications[r.Next(Justifications.Length)], GrantStatus.PendingApproval);
            var outcomes = PolicyEvaluator.Default.Evaluate(new GrantSubject(facts, system.Facts, grantFacts, coverage), context);
            if (outcomes.Any(o => o.Severity is Severity.Block or Severity.Suspend))
            {
                continue;
            }
            used?.Add(system.Id);
            if (escort is not null)
            {
                var load = escortLoad.GetValueOrDefault(escort.Escort.Id) + 1;
                escortLoad[escort.Escort.Id] = load;
                var escortSubject = new EscortSubject(escort.Id, escort.Escort.FactsNow(), facts, system.Facts, startsOn, endsOn, Math.Min(load, 2), accessType);
                escort = escort with { Outcomes = PolicyEvaluator.Default.Evaluate(escortSubject, context) };
            }
            var twoPerson = system.Facts.IsIl4OrAbove || !person.IsUsPerson;
            return new GrantPlan
            {
                Id = id, Person = person, System = system, AccessType = accessType, Escorted = escorted, StartsOn = startsOn, EndsOn = endsOn,
                Justification = grantFacts.Justification!, RequestedAt = requestedAt, TwoPerson = twoPerson, RequestOutcomes = outcomes, Escort = escort,
                Current = current,
            };
        }
        return null;
    }

    /// <summary>What happened to the grant since: approval, then for a current grant today's rules; for a past one its revocation.</summary>
    private void Decide(GrantPlan grant)
    {
        var r = random;
        var person = grant.Person;
        grant.Status = grant.TwoPerson ? GrantStatus.PendingApproval : GrantStatus.Active;
        var pendingStill = grant.Current && grant.TwoPerson && grant.RequestedAt > now.AddDays(-6) && r.NextDouble() < 0.5;
        if (grant.TwoPerson && !pendingStill)
        {
            var approved = grant.RequestedAt.AddHours(1 + r.Next(47));
            grant.ApprovedAt = approved < now ? approved : grant.RequestedAt.AddMinutes(30);
            grant.Status = GrantStatus.Active;
        }
        if (!grant.Current)
        {
            // A past grant: revoked when the work ended, or when the person left.
            var endedAt = At(grant.EndsOn, 17);
            if (person.TerminatedAt is { } left && left <= endedAt)
            {
                (grant.StatusChangedAt, grant.StatusReason, grant.StatusOperation) =
                    (left, $"TERMINATION: employment ended on {person.TerminatedOn:yyyy-MM-dd}.", "terminate-person");
            }
            else
            {
                (grant.StatusChangedAt, grant.StatusReason, grant.StatusOperation) = (endedAt, "The task ended; access is no longer needed.", "decide-grant");
            }
            grant.Status = GrantStatus.Revoked;
            return;
        }
        // A current grant: today's facts under today's policy, as the gate's scheduled re-evaluation sees them.
        var coverage = grant.Escort is { } e ? new List<EscortCoverage> { new(e.Id, e.Escort.FactsNow(), e.SystemId, e.StartsOn, e.EndsOn, true) } : [];
        var facts = new GrantFacts(grant.Id, grant.AccessType, grant.Escorted, grant.StartsOn, grant.EndsOn, grant.Justification, grant.Status);
        grant.NowOutcomes = PolicyEvaluator.Default.Evaluate(new GrantSubject(person.FactsNow(), grant.System.Facts, facts, coverage),
            new RuleContext(policy, policyNumber, today) { Now = now });
        var blocking = grant.NowOutcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).Select(o => o.RuleId).ToList();
        if (blocking.Count == 0)
        {
            return;
        }
        DateTimeOffset at;
        string operation;
        if (person.Moved is { } moved && moved.At > grant.RequestedAt)
        {
            (at, operation) = (moved.At, "change-person-facts");
        }
        else
        {
            var days = grant.AccessType == AccessType.Privileged ? policy.AttestationDays.Privileged : policy.AttestationDays.Other;
            (at, operation) = (At(person.AttestedOn.AddDays(days + 1), 2), "reevaluate-grants");
        }
        var earliest = (grant.ApprovedAt ?? grant.RequestedAt).AddHours(1);
        at = at < earliest ? earliest : at > now ? now.AddMinutes(-5) : at;
        grant.Status = GrantStatus.Suspended;
        grant.StatusReason = $"Suspended by the policy: {string.Join(", ", blocking)}.";
        grant.StatusChangedAt = at;
        grant.StatusOperation = operation;
    }

    /// <summary>The next escort (round robin over the pool of qualified escorts already on the roster).</summary>
    private PersonPlan? NextEscort(DateOnly from)
    {
        for (var tries = 0; tries < escorts.Count; tries++)
        {
            var escort = escorts[escortCursor++ % escorts.Count];
            if (escort.CreatedOn <= from)
            {
                return escort;
            }
        }
        return null;
    }

    /// <summary>A refused request for a person (filler of the trail with realistic refusals): a high-side system the rules refuse them.</summary>
    public (GrantFacts Grant, ScaleSystem System, IReadOnlyList<RuleOutcome> Violations)? Refusal(PersonPlan person, DateTimeOffset at)
    {
        var r = random;
        var system = systems[systems.Count - 1 - r.Next(8)];
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var grant = new GrantFacts(Guid.CreateVersion7(at), AccessType.Privileged, false, day, day.AddDays(180), Justifications[r.Next(Justifications.Length)],
            GrantStatus.PendingApproval);
        var outcomes = PolicyEvaluator.Default.Evaluate(new GrantSubject(person.FactsThen(day), system.Facts, grant, []),
            new RuleContext(policy, policyNumber, day) { Now = at });
        var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
        return blocking.Count == 0 ? null : (grant, system, blocking);
    }

    public Random Random => random;

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static double[] Cumulative(double[] weights)
    {
        var sum = weights.Sum();
        var result = new double[weights.Length];
        var acc = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            acc += weights[i] / sum;
            result[i] = acc;
        }
        return result;
    }

    private static int Pick(double[] cumulative, double r)
    {
        var i = Array.BinarySearch(cumulative, r);
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }
}
