using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using Microsoft.AspNetCore.Components;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// The base of every page and dialog that acts for the signed-in actor: <see cref="ActorAsync"/> is the one place a component
/// gets it. It is read afresh on each call, not cascaded once per circuit, because an officer's or auditor's office scope is
/// resolved anew every time (<see cref="CurrentActor"/>, ADR 0028) and a circuit lives for hours.
/// </summary>
public abstract class ActorComponentBase : ComponentBase
{
    [Inject]
    protected CurrentActor CurrentActor { get; set; } = default!;

    /// <summary>The signed-in actor; a circuit without one (anonymous or malformed principal) may do nothing.</summary>
    protected async Task<Actor> ActorAsync() => await CurrentActor.GetAsync() ?? throw new UnauthorizedAccessException();
}
