using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace ComplianceHub.Web.Components.Pages.Findings;

/// <summary>The findings queue's bulk acknowledgement and keyboard shortcuts (issue 21).</summary>
public partial class FindingsPage
{
    [Inject] private CommandExecutor Executor { get; set; } = default!;

    private readonly BulkSelectionState selection = new();
    private IReadOnlyCollection<Guid> pageIds = [];
    private int matching;

    private static readonly IReadOnlyList<(string Key, string What)> findingKeys = [("W", "opens the row's actions (acknowledge, remediate, waiver)")];

    private IReadOnlyList<BulkAction> findingActions => [new("Acknowledge", "acknowledged; they stay open until their condition clears",
        async (ids, response, dryRun) => await Executor.SendAsync(await ActorAsync(), new AcknowledgeFindings(ids, response, dryRun)))
    {
        InputLabel = "Response",
        Explanation = "Your response is recorded on each finding. Acknowledging is not fixing: each stays open until its condition clears or it is remediated.",
        TestId = "bulk-acknowledge",
    }];

    /// <summary>"Select all N matching" offers the open, unanswered findings of the filter: the only ones that can be acknowledged.</summary>
    private async Task CountAcknowledgeableAsync()
    {
        if (canWork)
        {
            matching = (await ResolveAcknowledgeableAsync()).Matching;
        }
    }

    private async Task<BulkSelection> ResolveAcknowledgeableAsync() => await Findings.AcknowledgeableAsync(await ActorAsync(), filter, sort, desc);

    private async Task AppliedAsync(BulkResult result)
    {
        await CountAcknowledgeableAsync();
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
    }
}
