using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ComplianceHub.Web.Hosting;

/// <summary>When the person at this circuit last did something that reached the server (a click, a key, a navigation).</summary>
public sealed class CircuitActivity(TimeProvider clock)
{
    public DateTimeOffset LastActivity { get; private set; } = clock.GetUtcNow();

    public void Touch() => LastActivity = clock.GetUtcNow();

    /// <summary>How long the circuit has been idle.</summary>
    public TimeSpan Idle => clock.GetUtcNow() - LastActivity;
}

/// <summary>Records every inbound circuit activity, for the idle timeout (components/Layout/IdleTimeout).</summary>
public sealed class ActivityCircuitHandler(CircuitActivity activity) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            activity.Touch();
            return next(context);
        };
}
