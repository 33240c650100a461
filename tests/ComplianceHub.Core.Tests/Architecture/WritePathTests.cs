using System.Reflection;
using ComplianceHub.Core.Common;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace ComplianceHub.Core.Tests.Architecture;

/// <summary>
/// Writes go only through the pipeline (STYLE.md, "One way to write"): the method bodies of Core, the portal and the CLI are
/// read instruction by instruction (Mono.Cecil, which NetArchTest is built on), and every call that writes — SaveChanges*,
/// DbSet/DbContext Add*/Remove*/Update*/Attach*, ExecuteUpdate*/ExecuteDelete*/ExecuteSql*, BeginTransaction* — must sit in
/// a command handler, the pipeline, the gate, Data, or a type on the allow-list below with its reason. Queries read through
/// the context factory and write nothing.
/// </summary>
public sealed class WritePathTests
{
    /// <summary>
    /// The types that write outside a command handler, and why. Compiler-made types (lambdas, async state machines) count as
    /// the type they are written in.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> AllowList = new Dictionary<string, string>
    {
        // The pipeline itself: opens the transaction a handler runs in, saves through the gate and commits.
        ["ComplianceHub.Core.Common.CommandExecutor"] = "the pipeline: transaction, save through the gate, commit",
        // The audit trail: the recorder appends the gate's events; notes are audit events of their own (ADR: audit append-only).
        ["ComplianceHub.Core.Auditing.AuditRecorder"] = "the audit recorder: appends the events the gate hands it, inside the gate's save",
        ["ComplianceHub.Core.Auditing.AuditNotes"] = "an audit note is an audit event of its own, appended in its own transaction",
        ["ComplianceHub.Core.Auditing.ChainCheckpointSigner"] = "reads the checkpoints in one transaction under a shared advisory lock (no write)",
        // Accounts and sign-in are Identity's: its stores and these services save through the gate (audited), not through commands.
        ["ComplianceHub.Core.Authorization.AccountChanges"] = "account administration on Identity's stores, one transaction and one audited save per change",
        ["ComplianceHub.Core.Authorization.SecondFactors"] = "second-factor enrolment, recovery codes and verification, the holder's own account",
        ["ComplianceHub.Core.Authorization.SignInAttempts"] = "records sign-in attempts and lock-outs before anyone is signed in",
        ["ComplianceHub.Core.Authorization.UserSessions"] = "opens and ends sessions as people sign in and out",
        ["ComplianceHub.Core.Authorization.ApiTokenAuthenticator"] = "records when an access token was last used, while authenticating the request",
        // Shared by the gate and handlers: adds to the context it is given and never saves.
        ["ComplianceHub.Core.Features.Screening.Screener"] = "adds hits to the context it is given by the screening gate step, the list import handler and the demo seed",
        ["ComplianceHub.Core.Features.AccessReviews.AccessReviewDecisions"] = "the access review decision engine of the decision and schedule handlers: changes tracked rows of the context it is given (a revoke, a reduced request) and takes the campaign's row lock (SELECT … FOR UPDATE) in that transaction; never saves",
        // Bookkeeping of the audit off-load (ADR 0039): its lock, the cursor and nothing else, around a batch written to the destination.
        ["ComplianceHub.Core.Auditing.AuditOffloader"] = "moves the off-load cursor (not audited) in the transaction that holds the off-load's lock while a batch is sent",
        ["ComplianceHub.Core.Common.ScheduledRun"] = "claims a scheduled job's run row under an advisory lock before the job sends its commands",
        // Reads in one snapshot: a repeatable-read transaction set READ ONLY.
        ["ComplianceHub.Core.Features.Grants.SystemAccessQuery"] = "a read-only repeatable-read snapshot (SET TRANSACTION READ ONLY) for the holders' export",
        ["ComplianceHub.Core.Exports.OscalPoamExport"] = "a read-only repeatable-read snapshot (SET TRANSACTION READ ONLY) for the POA&M's passes",
        // The CLI's scale population (docs/performance.md): bulk rows on a bench database, not a user's change.
        ["ComplianceHub.Cli.Scale.ScaleSeeder"] = "the CLI's scale seeder: bulk population of a bench database",
    };

    private static readonly Assembly[] Scanned = [BoundaryTests.Core, BoundaryTests.Web, typeof(Cli.CliApp).Assembly];

    [Fact]
    public void Writes_GoOnlyThroughThePipeline()
    {
        var offenders = WriteCalls()
            .Where(c => !MayWrite(c.Owner))
            .Select(c => $"  {c.Owner.FullName}.{c.Method} calls {c.Callee}")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(offenders.Count == 0,
            "Only command handlers, the pipeline, the gate, Data and the allow-list in WritePathTests may write; these write elsewhere "
            + "(send a command, or add the type to the allow-list with its reason):" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void TheWriteScan_SeesTheWritesOfCommandHandlersAndThePipeline()
    {
        // The scan must find what it looks for, or the rule above would pass on nothing.
        var owners = WriteCalls().Select(c => c.Owner).ToHashSet();
        Assert.Contains(typeof(CommandExecutor), owners);
        Assert.Contains(owners, IsCommandHandler);
    }

    [Fact]
    public void TheAllowList_NamesOnlyTypesThatExistAndStillWrite()
    {
        var writers = WriteCalls().Select(c => c.Owner.FullName!).ToHashSet(StringComparer.Ordinal);
        Assert.All(AllowList.Keys, name => Assert.True(writers.Contains(name), $"{name} is on the allow-list but writes nothing (or no longer exists): take it off."));
    }

    internal sealed record WriteCall(Type Owner, string Method, string Callee);

    private static List<WriteCall>? _calls;

    /// <summary>Every call that writes, found in the method bodies of the scanned assemblies.</summary>
    internal static List<WriteCall> WriteCalls() => _calls ??= Scanned.SelectMany(Scan).ToList();

    private static IEnumerable<WriteCall> Scan(Assembly assembly)
    {
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        var found = new List<WriteCall>();
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.OpCode.FlowControl == FlowControl.Call || instruction.OpCode == OpCodes.Ldftn || instruction.OpCode == OpCodes.Ldvirtftn)
                    {
                        if (instruction.Operand is MethodReference callee && Writes(callee))
                        {
                            var outer = type;
                            while (outer.DeclaringType is not null)
                            {
                                outer = outer.DeclaringType;
                            }
                            var owner = assembly.GetType(outer.FullName, throwOnError: true)!;
                            found.Add(new WriteCall(owner, SourceName(type, method), $"{callee.DeclaringType.GetElementType().Name}.{callee.Name}"));
                        }
                    }
                }
            }
        }
        return found;
    }

    private static readonly HashSet<string> ChangeTrackerWrites = new(StringComparer.Ordinal)
    {
        "Add", "AddAsync", "AddRange", "AddRangeAsync", "Remove", "RemoveRange", "Update", "UpdateRange", "Attach", "AttachRange",
    };

    /// <summary>Whether the called method writes to the database (or opens a transaction to).</summary>
    internal static bool Writes(MethodReference callee)
    {
        var declaring = callee.DeclaringType.GetElementType().FullName;
        var efCore = declaring.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal);
        var context = declaring is "Microsoft.EntityFrameworkCore.DbContext" or "ComplianceHub.Core.Data.ComplianceDbContext"
            || declaring.StartsWith("Microsoft.AspNetCore.Identity.EntityFrameworkCore.IdentityDbContext", StringComparison.Ordinal);
        var name = callee.Name;
        return (context && name.StartsWith("SaveChanges", StringComparison.Ordinal))
            || ((context || declaring == "Microsoft.EntityFrameworkCore.DbSet`1") && ChangeTrackerWrites.Contains(name))
            || (efCore && (name.StartsWith("ExecuteUpdate", StringComparison.Ordinal) || name.StartsWith("ExecuteDelete", StringComparison.Ordinal)
                || name.StartsWith("ExecuteSql", StringComparison.Ordinal) || name.StartsWith("BeginTransaction", StringComparison.Ordinal)));
    }

    private static bool MayWrite(Type owner) =>
        IsCommandHandler(owner)
        || InNamespace(owner, "ComplianceHub.Core.Gate")
        || InNamespace(owner, "ComplianceHub.Core.Data")
        // A gate step owned by a feature runs inside the gate's save, in the pipeline's transaction.
        || owner.GetInterfaces().Any(i => i.FullName == "ComplianceHub.Core.Gate.IGateStep")
        || AllowList.ContainsKey(owner.FullName!);

    private static bool IsCommandHandler(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommandHandler<,>));

    private static bool InNamespace(Type type, string ns) =>
        type.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));

    /// <summary>"CreateAsync" for the state machine "&lt;CreateAsync&gt;d__3" and the lambdas of CreateAsync.</summary>
    private static string SourceName(TypeDefinition type, MethodDefinition method)
    {
        var name = (type.DeclaringType is not null && type.Name.StartsWith('<') ? type.Name : method.Name).TrimStart('<');
        return name.IndexOf('>', StringComparison.Ordinal) is > 0 and var end ? name[..end] : name;
    }
}
