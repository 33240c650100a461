namespace ComplianceHub.Core.Gate;

/// <summary>The last step: a receipt for every row of a rule-relevant table the change writes (the deferred trigger checks them at commit).</summary>
internal sealed class ReceiptStep : IGateStep
{
    public bool RulesOnly => false;

    public bool ChangesInPlace => false; // receipts are added rows, and the last step

    public Task RunAsync(GateContext gate, CancellationToken ct)
    {
        ComplianceGate.IssueReceipts(gate.Db, gate.Now); // detects the changes itself
        return Task.CompletedTask;
    }
}
