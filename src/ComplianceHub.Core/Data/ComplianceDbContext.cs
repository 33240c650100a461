using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Gate;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ComplianceHub.Core.Data;

/// <summary>
/// The one DbContext of the portal, and the place where every write will pass the compliance gate.
/// Identity's stores and the data-protection key ring save through it too, so they share the database
/// and (later) the audit trail.
/// </summary>
/// <remarks>
/// Migrations live in Data/Migrations and are applied by <c>ComplianceHub.Cli migrate</c> as the owner role:
/// <code>dotnet tool run dotnet-ef migrations add &lt;Name&gt; --project src/ComplianceHub.Core --startup-project src/ComplianceHub.Cli --output-dir Data/Migrations</code>
/// Every table name is snake_case, Identity's included (see docs/adr/0003-database-naming-and-roles.md).
/// </remarks>
public sealed class ComplianceDbContext(DbContextOptions<ComplianceDbContext> options)
    : IdentityDbContext<ApplicationUser, ApplicationRole, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Country> Countries => Set<Country>();
    public DbSet<Vendor> Vendors => Set<Vendor>();
    public DbSet<CloudSystem> Systems => Set<CloudSystem>();
    public DbSet<Domain.Contracts.Contract> Contracts => Set<Domain.Contracts.Contract>();
    public DbSet<Domain.Contracts.ContractingOffice> ContractingOffices => Set<Domain.Contracts.ContractingOffice>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditEventSubject> AuditEventSubjects => Set<AuditEventSubject>();
    public DbSet<ChainCheckpoint> ChainCheckpoints => Set<ChainCheckpoint>();
    public DbSet<Domain.Access.AccessGrant> Grants => Set<Domain.Access.AccessGrant>();
    public DbSet<Domain.Access.EscortAssignment> EscortAssignments => Set<Domain.Access.EscortAssignment>();
    public DbSet<Domain.Access.EscortedSession> EscortedSessions => Set<Domain.Access.EscortedSession>();
    public DbSet<Domain.Access.EscortRequest> EscortRequests => Set<Domain.Access.EscortRequest>();
    public DbSet<Domain.Policy.PolicyVersion> PolicyVersions => Set<Domain.Policy.PolicyVersion>();
    public DbSet<Domain.Policy.ReevaluationRun> ReevaluationRuns => Set<Domain.Policy.ReevaluationRun>();
    public DbSet<Domain.Findings.Finding> Findings => Set<Domain.Findings.Finding>();
    public DbSet<Domain.Findings.Waiver> Waivers => Set<Domain.Findings.Waiver>();
    public DbSet<Domain.Findings.IntegrityFinding> IntegrityFindings => Set<Domain.Findings.IntegrityFinding>();
    public DbSet<Domain.Attestations.LocationAttestation> LocationAttestations => Set<Domain.Attestations.LocationAttestation>();
    /// <summary>The fact history as stored: one row per recorded change (append-only).</summary>
    public DbSet<PersonFactRecord> PersonFactHistory => Set<PersonFactRecord>();

    /// <summary>The fact history one attribute a row (a view over <see cref="PersonFactHistory"/>; read-only).</summary>
    public DbSet<PersonFactChange> PersonFactChanges => Set<PersonFactChange>();
    public DbSet<EvaluationReceipt> EvaluationReceipts => Set<EvaluationReceipt>();
    public DbSet<Domain.Screening.RestrictedPartyList> RestrictedPartyLists => Set<Domain.Screening.RestrictedPartyList>();
    public DbSet<Domain.Screening.RestrictedPartyEntry> RestrictedPartyEntries => Set<Domain.Screening.RestrictedPartyEntry>();
    public DbSet<Domain.Screening.ScreeningHit> ScreeningHits => Set<Domain.Screening.ScreeningHit>();
    public DbSet<ScheduledRun> ScheduledRuns => Set<ScheduledRun>();
    public DbSet<Common.Idempotency.IdempotencyRecord> IdempotencyKeys => Set<Common.Idempotency.IdempotencyRecord>();
    public DbSet<RosterImportRecord> RosterImports => Set<RosterImportRecord>();
    public DbSet<AuditOffloadCursor> AuditOffloadCursors => Set<AuditOffloadCursor>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Domain.Views.SavedView> SavedViews => Set<Domain.Views.SavedView>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<Domain.Contributions.CodeContribution> CodeContributions => Set<Domain.Contributions.CodeContribution>();
    public DbSet<Domain.Contributions.ContributorAlias> ContributorAliases => Set<Domain.Contributions.ContributorAlias>();
    public DbSet<Domain.AccessLogs.AccessLogImport> AccessLogImports => Set<Domain.AccessLogs.AccessLogImport>();
    public DbSet<Domain.AccessLogs.AccessEvent> AccessEvents => Set<Domain.AccessLogs.AccessEvent>();
    public DbSet<Domain.AccessLogs.AccessIdentityAlias> AccessIdentityAliases => Set<Domain.AccessLogs.AccessIdentityAlias>();
    public DbSet<Domain.AccessLogs.KnownEgressRange> KnownEgressRanges => Set<Domain.AccessLogs.KnownEgressRange>();
    public DbSet<Domain.AccessLogs.GeolocationDatabase> GeolocationDatabases => Set<Domain.AccessLogs.GeolocationDatabase>();
    public DbSet<Domain.AccessLogs.GeolocationDatabaseFile> GeolocationDatabaseFiles => Set<Domain.AccessLogs.GeolocationDatabaseFile>();
    public DbSet<Domain.AccessReviews.AccessReviewDefinition> AccessReviewDefinitions => Set<Domain.AccessReviews.AccessReviewDefinition>();
    public DbSet<Domain.AccessReviews.AccessReviewCampaign> AccessReviewCampaigns => Set<Domain.AccessReviews.AccessReviewCampaign>();
    public DbSet<Domain.AccessReviews.AccessReviewItem> AccessReviewItems => Set<Domain.AccessReviews.AccessReviewItem>();

    /// <summary>
    /// Where the facts changed by this context come from (recorded in the fact history). Set by the command handler;
    /// when unset it follows the actor: a representative declares, an officer verifies, the command line imports.
    /// </summary>
    public FactSource? FactSource { get; set; }

    /// <summary>The day the facts changed by this context took effect (default: the day they are recorded).</summary>
    public DateOnly? FactsEffectiveOn { get; set; }

    /// <summary>
    /// Set by the executor for a dry run: the change runs every step of the gate and is rolled back, but is not appended to
    /// the audit trail, so a preview never takes the chain lock and never waits for (or holds up) anybody's write.
    /// </summary>
    public bool PreviewOnly { get; set; }

    /// <summary>
    /// The stored policy version this context's change read — in a gate step or a handler — and so was decided under (none
    /// when it read none, or only a version the change itself activates). Every append checks, under the chain lock, that
    /// it is still the active one (<see cref="Gate.ActivePolicyCache"/>, ADR 0024). Kept for the whole change, whatever
    /// the number of saves; reset with the context.
    /// </summary>
    internal Gate.PolicyStamp? EvaluatedUnder { get; private set; }

    /// <summary>
    /// Records that the change read a stored policy version. A change that reads two different versions saw an activation
    /// happen under it: <see cref="Gate.PolicyChangedException"/> at once, and the executor runs it again.
    /// </summary>
    internal void ReadPolicy(Gate.PolicyStamp stamp)
    {
        if (EvaluatedUnder is { } earlier && earlier != stamp)
        {
            Gate.ActivePolicyCache.Forget(this);
            throw new Gate.PolicyChangedException();
        }
        EvaluatedUnder = stamp;
    }

    /// <summary>Stored rows the change's handler looked for and found none of: the gate does not ask again (<see cref="Gate.KnownEmpty"/>).</summary>
    internal Gate.KnownEmpty KnownEmpty { get; } = new();

    /// <summary>One batch of a re-evaluation run for the gate to evaluate on this save (ADR 0029).</summary>
    internal Features.Policy.ReevaluationBatch? ReevaluationBatch { get; set; }

    /// <summary>Asks the gate to start a re-evaluation run under the active version on this save (the scheduler's run on a new day).</summary>
    public bool StartReevaluation { get; set; }

    /// <summary>
    /// The fact history the gate recorded for the save in progress, one record per changed person. Not tracked entities:
    /// <see cref="SaveChangesAsync(bool, CancellationToken)"/> writes them right after the change, in its transaction,
    /// with one binary COPY (<see cref="FactHistoryWriter"/>).
    /// </summary>
    internal List<PersonFactRecord> PendingFactHistory { get; } = [];

    /// <summary>
    /// People whose access-log evidence this change adds to or re-reads (an access-log import, a known egress range added or
    /// removed, an identity alias): the gate evaluates their current grants under the rules on evidence
    /// (<see cref="Features.AccessLogs.AccessEvidenceGateStep"/>). Reset with the context.
    /// </summary>
    internal HashSet<Guid> EvidenceChangedPeople { get; } = [];

    /// <summary>Asks the gate to evaluate the current grants of <paramref name="personIds"/> against their access-log evidence on this save.</summary>
    public void EvidenceChanged(IEnumerable<Guid> personIds) => EvidenceChangedPeople.UnionWith(personIds);

    /// <summary>The escorted sessions this change adds or changes, which cover access before they are stored.</summary>
    internal Features.AccessLogs.SessionCoverage AddedSessionCoverage()
    {
        var sessions = ChangeTracker.Entries<Domain.Access.EscortedSession>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity).ToList();
        return sessions.Count == 0
            ? Features.AccessLogs.SessionCoverage.None
            : new([.. sessions.Select(s => s.PersonId)], [.. sessions.Select(s => s.SystemId)], [.. sessions.Select(s => s.StartedAt)], [.. sessions.Select(s => s.EndedAt)]);
    }

    /// <summary>The rule outcomes the gate produced for each evaluated entity (grants, assignments, sessions) in this context's saves.</summary>
    public Dictionary<object, IReadOnlyList<Rules.RuleOutcome>> Outcomes { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>What the gate did to other records because of the changes saved through this context.</summary>
    public Consequences Consequences { get; } = new();

    /// <summary>
    /// Contexts are pooled (<see cref="DataServiceCollectionExtensions.AddComplianceHubData"/>): EF resets its own state when a
    /// context goes back to the pool, and this resets the gate's — so no flag (a dry run's <see cref="PreviewOnly"/>, a fact
    /// source) and no outcome of one operation can reach the next.
    /// </summary>
    public override void Dispose()
    {
        ResetGateState();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ResetGateState();
        return base.DisposeAsync();
    }

    private void ResetGateState()
    {
        FactSource = null;
        FactsEffectiveOn = null;
        PreviewOnly = false;
        EvaluatedUnder = null;
        LastAppended = null;
        ReevaluationBatch = null;
        StartReevaluation = false;
        PendingFactHistory.Clear();
        EvidenceChangedPeople.Clear();
        KnownEmpty.Clear();
        Outcomes.Clear();
        Consequences.Clear();
    }

    /// <summary>
    /// Pinned so the model does not depend on how the context was built (DI or design time): the schema
    /// must be identical for the app, the CLI and dotnet-ef.
    /// </summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version3;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Identity keeps explicit "AspNet*" names unless told otherwise; name them like every other table.
        // Renamed here, right after Identity's model, so constraint names follow the new names.
        builder.Entity<ApplicationUser>().ToTable("users");
        builder.Entity<ApplicationRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        builder.ApplyConfigurationsFromAssembly(typeof(ComplianceDbContext).Assembly);
    }

    /// <summary>
    /// The gate. Every tracked change is saved together with its audit events, in one transaction (the caller's,
    /// or one opened here): the change first, so generated keys are known, then the events, appended to the hash
    /// chain under a lock. A change with no <see cref="AuditScope"/> (no actor) is refused before anything is written.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // The gate detects changes itself, once per step: with automatic detection every look at the change tracker would
        // compare every tracked row again (tens of thousands in an import).
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await GatedSaveAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task<int> GatedSaveAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var scope = AuditScope.Current;
        PendingFactHistory.Clear();
        // The gate's steps (ComplianceGate.Steps): an access decision that fails a blocking rule throws here, before anything
        // is written; fact changes get their consequences (history, suspended or revoked grants, findings) added to this same
        // change; then what is derived from those facts (code contributions), and the evaluation receipts.
        var outcomes = await ComplianceGate.EvaluateAsync(this, scope, now, cancellationToken);
        foreach (var (entity, list) in outcomes)
        {
            Outcomes[entity] = list;
        }

        // Then the audit snapshot, so what the gate added is audited too.
        var pending = AuditRecorder.Capture(ChangeTracker);
        // Nothing to audit needs no append — unless the change was decided under a stored policy version (a scheduler run
        // that found nothing to suspend, receipts only): then an append of no events still checks the version under the lock.
        var mustCheckPolicy = EvaluatedUnder is not null && !PreviewOnly && scope is not null;
        if (pending.Count == 0 && PendingFactHistory.Count == 0 && !mustCheckPolicy)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (scope is null)
        {
            throw new InvalidOperationException(
                "A write without an audit scope was refused: every change names its actor (AuditScope.Begin).");
        }

        // A failed save abandons the whole transaction (the executor rolls it back), so EF's savepoint around each save in a
        // transaction — two more round trips per command — would protect nothing.
        Database.AutoSavepointsEnabled = false;
        var owned = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // When the portal made every audited row's key (the usual case), the events are chained first and saved with
            // the change in one round of statements; when PostgreSQL makes a key, they follow the change, once it exists.
            var keysKnown = pending.All(p => p.Entry.Metadata.FindPrimaryKey()!.Properties.All(k => !p.Entry.Property(k.Name).IsTemporary));
            var events = 0;
            if (!PreviewOnly && keysKnown)
            {
                events = (await AppendAsync(pending, outcomes, scope, now, cancellationToken)).Count;
            }
            // Many new rows of a type go by binary COPY; a single change's few new rows in one batch of INSERTs; the rest
            // through EF, principals first.
            var written = await BulkInsert.WriteAddedAsync(this, cancellationToken);
            var (inserted, insertedEvents) = await BulkInsert.InsertAddedAsync(this, cancellationToken);
            written += inserted - insertedEvents;
            written += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken) - (events - insertedEvents);
            written += await FactHistoryWriter.WriteAsync(this, PendingFactHistory, cancellationToken);
            PendingFactHistory.Clear();
            if (!PreviewOnly && !keysKnown)
            {
                await AppendAsync(pending, outcomes, scope, now, cancellationToken);
                await BulkInsert.WriteAddedAsync(this, cancellationToken);
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken);
            }
            return written;
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    private async Task<List<AuditEvent>> AppendAsync(List<AuditRecorder.PendingChange> pending, Dictionary<object, IReadOnlyList<Rules.RuleOutcome>> outcomes,
        AuditScope scope, DateTimeOffset now, CancellationToken ct)
    {
        var events = await AuditRecorder.AppendAsync(this, AuditRecorder.Drafts(pending, outcomes), scope, now, ct, EvaluatedUnder);
        if (events.Count > 0)
        {
            LastAppended = (events[^1].Sequence, events[^1].Hash);
        }
        return events;
    }

    /// <summary>
    /// The last audit event this context's change appended: when the connection is lost during the commit, the executor reads
    /// back whether it is in the trail, and so whether the change was saved (ADR 0042). Reset with the context.
    /// </summary>
    internal (long Sequence, string Hash)? LastAppended { get; private set; }

    /// <summary>
    /// The sequence of the last audit event this operation's saves appended, or null: the idempotency key of the request records it
    /// in the same transaction (ADR 0041).
    /// </summary>
    internal long? LastAppendedSequence => LastAppended?.Sequence;

    private TimeProvider Clock =>
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(TimeProvider)) as TimeProvider
        ?? TimeProvider.System;

    /// <summary>
    /// Synchronous saves are refused, with one exception: the data-protection key ring
    /// (EntityFrameworkCoreXmlRepository) stores new keys synchronously, and keys are not compliance data.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var onlyKeys = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .All(e => e.Entity is DataProtectionKey);
        return onlyKeys
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new NotSupportedException("Use SaveChangesAsync: every write is asynchronous and passes the gate.");
    }
}
