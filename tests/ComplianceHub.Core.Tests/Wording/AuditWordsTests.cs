using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Tests.Wording;

/// <summary>The audit trail's operations, subject types and event codes read as words.</summary>
public sealed class AuditWordsTests
{
    public static TheoryData<string> Operations()
    {
        var data = new TheoryData<string>();
        foreach (var command in typeof(Words).Assembly.GetTypes()
                     .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)))
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            data.Add(CommandExecutor.Describe(command));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void EveryCommandsOperation_HasItsOwnWords(string operation)
    {
        var words = Words.Operation(operation);
        Assert.NotEqual(Words.SplitWords(operation), words); // not the fallback: written for people
        Assert.DoesNotContain("-", words.Replace("Re-", "", StringComparison.Ordinal).Replace("re-", "", StringComparison.Ordinal)
            .Replace("Restricted-party", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void TheIssuesExample_AndTheFallback()
    {
        Assert.Equal("Access requested", Words.Operation("request-grant"));
        Assert.Equal("Sign in", Words.Operation("sign-in"));
        Assert.Equal("System", Words.SubjectType("cloud-system"));
        Assert.Equal("Escort assignment", Words.SubjectType("escort-assignment"));
    }

    [Fact]
    public void EveryEventCode_ReadsAsWordsWithItsCode()
    {
        Assert.Equal("Access grant changed (4001)", Words.EventType(4001));
        Assert.Equal("Person created (3000)", Words.EventType(3000));
        Assert.Equal("Access refused by the policy (8000)", Words.EventType(AuditEventTypes.AccessDecisionRefused));
        Assert.All(AuditTrailQuery.EventTypeOptions, o =>
        {
            Assert.EndsWith($"({o.Code})", o.Label, StringComparison.Ordinal);
            Assert.DoesNotContain("-", o.Label.Replace("Sign-in", "", StringComparison.Ordinal).Replace("Restricted-party", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("Event type", o.Label, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void RuleFacts_ReadAsWords()
    {
        Assert.Equal("Covered nations", Words.Field("coveredNations"));
        Assert.Equal("China (CN), Iran (IR)", Words.FactValue("coveredNations", "CN, IR"));
        Assert.Equal("China (CN), United States (US)", Words.FactValue("citizenships", "CN, US"));
        Assert.Equal("Tier 5", Words.FactValue("requiredInvestigationTier", "T5"));
        Assert.Equal("Qualified escort (engineer)", Words.FactValue("requiredQualification", "Engineer"));
        Assert.Equal("Yes", Words.FactValue("escorted", "yes"));
        Assert.Equal("2026-11-20 09:00 UTC", Words.FactValue("endedAt", "2026-11-20T09:00Z"));
    }
}
