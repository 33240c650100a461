using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

public sealed class EscortSessionLogTests
{
    private static readonly DateTimeOffset Ended = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, 23, false)]   // not signed yet, still within 24 hours
    [InlineData(null, 25, true)]    // not signed after 24 hours
    [InlineData(8, 48, false)]      // signed 8 hours after the end
    [InlineData(30, 48, true)]      // signed, but 30 hours after the end
    public void EscortSessionLog_Warns_WithoutASignOffWithin24Hours(int? signedAfterHours, int nowAfterHours, bool fails)
    {
        var subject = new SessionSubject(Guid.NewGuid(), Ended, signedAfterHours is { } h ? Ended.AddHours(h) : null);
        var context = Given.Context() with { Now = Ended.AddHours(nowAfterHours) };
        var outcomes = PolicyEvaluator.Default.Evaluate(subject, context);
        Assert.Equal(fails, outcomes.Count == 1);
        Assert.All(outcomes, o =>
        {
            Assert.Equal("ESCORT-SESSION-LOG", o.RuleId);
            Assert.Equal(Severity.Warn, o.Severity);
            Assert.Equal("escorted-session", o.SubjectType);
        });
    }
}
