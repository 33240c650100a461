namespace ComplianceHub.Core.Data;

/// <summary>
/// When a scheduled job last completed, shared by every portal instance. Operational bookkeeping, not compliance
/// data: what a run changes is audited with its own events; this row only spaces the runs.
/// </summary>
public sealed class ScheduledRun
{
    private ScheduledRun() { }

    public ScheduledRun(string name) => Name = name;

    public string Name { get; private set; } = "";
    public DateTimeOffset? LastCompletedAt { get; private set; }
    public string? LastInstance { get; private set; }

    public void Completed(DateTimeOffset at, string instance)
    {
        LastCompletedAt = at;
        LastInstance = instance;
    }
}
