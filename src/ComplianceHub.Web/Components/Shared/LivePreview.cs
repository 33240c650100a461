using ComplianceHub.Core.Common;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// Asks the rules about a form as it is being filled: each change restarts a short wait (debounce), then the command is
/// sent as a dry run through the executor; an answer that arrives after a newer question is dropped. The owner renders
/// <see cref="Result"/> and <see cref="Loading"/> with <see cref="RulePreview"/>.
/// </summary>
public sealed class LivePreview(Func<Task> changed, ILogger logger, TimeSpan? delay = null) : IDisposable
{
    private readonly TimeSpan wait = delay ?? TimeSpan.FromMilliseconds(400);
    private CancellationTokenSource? pending;
    private int generation;

    public RulePreviewResult? Result { get; private set; }
    public bool Loading { get; private set; }

    /// <summary>What the form still lacks before the rules are asked ("Choose a system to continue."); null once complete.</summary>
    public string? Missing { get; private set; }

    /// <summary>Why the form cannot be submitted now (missing input, checking, refused, invalid); null when it can.</summary>
    public string? Blocker => RulePreviewResult.Blocker(Result, Loading, Missing);

    /// <summary>
    /// Schedules a question. <paramref name="send"/> is null while the form is incomplete (a required field empty or
    /// unreadable): the preview goes back to idle, since rules asked about half a form refuse what the officer has not
    /// finished, and <paramref name="missing"/> says what to fill in. Otherwise it sends the dry run and
    /// <paramref name="okText"/> words a passing answer and <paramref name="caution"/> tells whether it suspends or opens something.
    /// </summary>
    public async Task AskAsync<T>(Func<Task<Outcome<T>>>? send, Func<T, string> okText, string? missing = null, Func<T, bool>? caution = null)
    {
        pending?.Cancel();
        pending?.Dispose();
        pending = null;
        var mine = ++generation;
        Missing = send is null ? missing ?? "Fill in the required fields to continue." : null;
        if (send is null)
        {
            Result = null;
            Loading = false;
            return;
        }
        var cancellation = pending = new CancellationTokenSource();
        Loading = true;
        try
        {
            await Task.Delay(wait, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            return; // a newer question replaced this one
        }
        RulePreviewResult answer;
        try
        {
            answer = RulePreviewResult.From(await send(), okText, caution);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "The live rule preview failed");
            answer = new RulePreviewResult(OutcomeKind.Conflict, null, [], [], new Dictionary<string, string[]>(),
                "The rules could not be checked just now. Change a field to try again; submitting still checks every rule.");
        }
        if (mine != generation)
        {
            return;
        }
        Show(answer);
        await changed();
    }

    /// <summary>Shows an answer at once (the real submission's refusal keeps the rules on screen).</summary>
    public void Show(RulePreviewResult result)
    {
        generation++;
        pending?.Cancel();
        Result = result;
        Loading = false;
    }

    public void Dispose()
    {
        pending?.Cancel();
        pending?.Dispose();
    }
}
