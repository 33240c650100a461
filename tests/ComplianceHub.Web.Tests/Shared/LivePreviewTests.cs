using ComplianceHub.Core.Common;
using ComplianceHub.Web.Components.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>The dialogs' live preview: a burst of changes asks the rules once, and a late answer never replaces a newer one.</summary>
public sealed class LivePreviewTests
{
    private int renders;

    private LivePreview Preview(int delayMs) => new(() => { renders++; return Task.CompletedTask; }, NullLogger.Instance, TimeSpan.FromMilliseconds(delayMs));

    [Fact]
    public async Task ABurstOfChanges_AsksTheRulesOnce_WithTheLastForm()
    {
        using var preview = Preview(50);
        var sent = new List<string>();
        Func<Task<Outcome<string>>> Ask(string form) => () => { sent.Add(form); return Task.FromResult(Outcome<string>.Ok(form)); };

        var first = preview.AskAsync(Ask("system A"), v => $"ok {v}");
        Assert.True(preview.Loading);
        var second = preview.AskAsync(Ask("system B"), v => $"ok {v}");
        await Task.WhenAll(first, second);

        Assert.Equal(["system B"], sent);
        Assert.False(preview.Loading);
        Assert.Equal("ok system B", preview.Result!.OkText);
        Assert.Equal(1, renders);
    }

    [Fact]
    public async Task ALateAnswer_IsDropped_WhenTheFormChangedMeanwhile()
    {
        using var preview = Preview(1);
        var slow = new TaskCompletionSource<Outcome<string>>();
        var asked = new TaskCompletionSource();

        var first = preview.AskAsync(() => { asked.SetResult(); return slow.Task; }, v => v);
        await asked.Task; // the first question is now being answered
        await preview.AskAsync(() => Task.FromResult(Outcome<string>.Refused([])), v => v);
        slow.SetResult(Outcome<string>.Ok("stale"));
        await first;

        Assert.Equal(OutcomeKind.Refused, preview.Result!.Kind);
    }

    [Fact]
    public async Task AnIncompleteForm_GoesBackToIdle_AndAFailureSaysTheRulesCouldNotBeChecked()
    {
        using var preview = Preview(1);
        await preview.AskAsync<string>(() => throw new InvalidOperationException("database down"), v => v);
        Assert.Equal(OutcomeKind.Conflict, preview.Result!.Kind);
        Assert.Contains("could not be checked", preview.Result.Message, StringComparison.Ordinal);

        await preview.AskAsync<string>(null, v => v);
        Assert.Null(preview.Result);
        Assert.False(preview.Loading);
    }
}
