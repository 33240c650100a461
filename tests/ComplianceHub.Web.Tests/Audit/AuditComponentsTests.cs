using System.Text.Json;
using Bunit;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Web.Components.Pages.Audit;

namespace ComplianceHub.Web.Tests.Audit;

/// <summary>The audit pages' building blocks: the before/after table, the chain verification result, and the trail's address.</summary>
public sealed class AuditComponentsTests : MudComponentTest
{
    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void TheDiff_HasOneRowPerField_WithBeforeAndAfter_AndSecretsStayRedacted()
    {
        var cut = Render<AuditChanges>(p => p.Add(c => c.Changes, Json("""
            {"status": {"before": "Active", "after": "Suspended"},
             "citizenships": {"before": ["US"], "after": ["US", "VE"]},
             "email": {"before": null, "after": "new@acme.example"},
             "passwordHash": {"before": "[redacted]", "after": "[redacted]"}}
            """)));

        var rows = cut.FindAll("[data-testid=audit-change-row]");
        Assert.Equal(["status", "citizenships", "email", "passwordHash"], rows.Select(r => r.GetAttribute("data-field") ?? "").ToArray());
        Assert.All(rows, r => Assert.Equal("true", r.GetAttribute("data-changed")));
        Assert.All(rows, r => Assert.Contains("audit-changed", r.ClassName ?? "", StringComparison.Ordinal));
        Assert.Equal("Active", rows[0].QuerySelector("[data-testid=audit-before]")!.TextContent.Trim());
        Assert.Equal("Suspended", rows[0].QuerySelector("[data-testid=audit-after]")!.TextContent.Trim());
        Assert.Equal("Citizenships", rows[1].QuerySelector("th")!.TextContent.Replace("(changed)", "", StringComparison.Ordinal).Trim());
        Assert.Equal("United States (US), Venezuela (VE)", rows[1].QuerySelector("[data-testid=audit-after]")!.TextContent.Trim());
        Assert.Equal("US, VE", rows[1].QuerySelector("[data-testid=audit-after]")!.GetAttribute("title")); // as recorded, on hover
        Assert.Equal("—", rows[2].QuerySelector("[data-testid=audit-before]")!.TextContent.Trim());
        Assert.Equal(2, rows[3].QuerySelectorAll("[data-testid=audit-redacted]").Length);
        Assert.DoesNotContain("AQAAAA", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDiff_MarksUnchangedValues_AndSaysWhenThereIsNothing()
    {
        var rows = AuditChanges.RowsOf(Json("""{"name": {"before": "Acme", "after": "Acme"}, "note": "free text"}"""), AuditNames.None);
        Assert.Equal([new AuditChanges.Row("name", "Name", "Acme", "Acme", "Acme", "Acme", false), new AuditChanges.Row("note", "Note", null, "free text", null, "free text", true)], rows);

        var empty = Render<AuditChanges>(p => p.Add(c => c.Changes, Json("{}")));
        Assert.NotNull(empty.Find("[data-testid=audit-changes-empty]"));
    }

    [Fact]
    public void TheDiff_ReadsInWords_AndKeepsTheRecordedValuesForEvidence()
    {
        var person = Guid.NewGuid();
        var cut = Render<AuditChanges>(p => p.Add(c => c.Changes, Json($$"""
            {"workCountry": {"before": "CN", "after": "US"},
             "accessType": {"before": null, "after": "NonPrivileged"},
             "personId": {"before": null, "after": "{{person}}"},
             "requestedAt": {"before": null, "after": "2026-12-06T14:05:09.123+00:00"} }
            """)));

        var rows = cut.FindAll("[data-testid=audit-change-row]");
        string Cell(int row, string which) => rows[row].QuerySelector($"[data-testid=audit-{which}]")!.TextContent.Trim();
        Assert.Equal(("China (CN)", "United States (US)"), (Cell(0, "before"), Cell(0, "after")));
        Assert.StartsWith("Work location", rows[0].QuerySelector("th")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Non-privileged", Cell(1, "after"));
        Assert.DoesNotContain(person.ToString(), Cell(2, "after"), StringComparison.Ordinal); // without a name, no id as the value
        Assert.Equal(person.ToString(), rows[2].QuerySelector("[data-testid=audit-after]")!.GetAttribute("title"));
        Assert.Equal("2026-12-06 14:05:09 UTC", Cell(3, "after"));
        Assert.Empty(cut.FindAll("[data-testid=audit-recorded-after]"));

        cut.Find("input[type=checkbox]").Change(true);
        Assert.Equal("CN", cut.FindAll("[data-testid=audit-recorded-before]")[0].TextContent.Trim());
        Assert.Equal(person.ToString(), cut.FindAll("[data-testid=audit-recorded-after]")[2].TextContent.Trim());
    }

    [Fact]
    public void APeopleAddedEvent_ListsItsPeopleByName_LinkedToTheirPages_AndSearches()
    {
        var people = Enumerable.Range(1, 30).Select(i => ($"0199a000-0000-7000-8000-{i:D12}", $"Person {i:D2}", $"E-{i:D3}")).ToList();
        var json = """{"fields": ["email", "employeeId", "fullName"], "people": {""" + string.Join(",", people.AsEnumerable().Reverse().Select(p =>
            $"\"{p.Item1}\": [null, \"{p.Item3}\", \"{p.Item2}\"]")) + "}}";

        Assert.Equal(new AuditPeopleAdded.AddedPerson(people[0].Item1, "Person 01", "E-001"), AuditPeopleAdded.PeopleOf(Json(json))[0]);
        Assert.Empty(AuditPeopleAdded.PeopleOf(Json("[]")));
        Assert.Empty(AuditPeopleAdded.PeopleOf(Json("""{"fullName": {"before": null, "after": "A single person's event"}}""")));

        var cut = Render<AuditPeopleAdded>(p => p.Add(c => c.Changes, Json(json)));
        Assert.Contains("added 30 people", cut.Find("[data-testid=audit-people-added-count]").TextContent, StringComparison.Ordinal);
        var links = cut.FindAll("[data-testid=audit-people-added] tbody a");
        Assert.Equal(25, links.Count); // the first page
        Assert.Equal(("Person 01", $"/people/{people[0].Item1}"), (links[0].TextContent, links[0].GetAttribute("href")));

        cut.Find("[data-testid=audit-people-added] input").Input("E-030");
        links = cut.FindAll("[data-testid=audit-people-added] tbody a");
        Assert.Equal(["Person 30"], links.Select(l => l.TextContent).ToArray());
    }

    [Fact]
    public void AValidChain_ShowsTheCountAndTheHeadHash()
    {
        var head = new string('a', 64);
        var cut = Render<ChainVerificationView>(p => p.Add(c => c.Result, new ChainVerification(true, 123456, head, null, null)));

        Assert.Equal("true", cut.Find("[data-testid=chain-result]").GetAttribute("data-valid"));
        Assert.Contains("valid", cut.Find("[data-testid=chain-verdict]").TextContent, StringComparison.Ordinal);
        Assert.Equal("123,456", cut.Find("[data-testid=chain-events]").TextContent);
        Assert.Equal(head, cut.Find("[data-testid=chain-head]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=chain-copy]").GetAttribute("aria-label"));
        Assert.Empty(cut.FindAll("[data-testid=chain-broken-link]"));
    }

    [Fact]
    public void ABrokenChain_NamesTheFirstBrokenEvent_AndLinksToIt()
    {
        var cut = Render<ChainVerificationView>(p => p.Add(c => c.Result,
            new ChainVerification(false, 41, new string('b', 64), 42, "Event 42: its content does not match its hash (the event was altered).")));

        Assert.Equal("false", cut.Find("[data-testid=chain-result]").GetAttribute("data-valid"));
        Assert.Contains("broken", cut.Find("[data-testid=chain-verdict]").TextContent, StringComparison.Ordinal);
        Assert.Equal("41", cut.Find("[data-testid=chain-events]").TextContent);
        var link = cut.Find("[data-testid=chain-broken-link]");
        Assert.Equal("/audit/42", link.GetAttribute("href"));
        Assert.Equal("42", link.TextContent.Trim());
        Assert.Contains("was altered", cut.Find("[data-testid=chain-problem]").TextContent, StringComparison.Ordinal);
    }

    private static readonly DateTimeOffset SignedAt = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    private static CheckpointView Checkpoint(int number, long sequence, bool current = true, CheckpointSource source = CheckpointSource.Database) =>
        new(number, sequence, new string('c', 64), SignedAt, "0123456789abcdef" + new string('e', 48), current, source);

    [Fact]
    public void AValidChain_ShowsItsCheckpoints_TheLatest_AndWhichKeySignedIt()
    {
        var file = new CheckpointFileCheck(CheckpointFileState.Compared, 3, null);
        var result = new ChainVerification(true, 30_042, new string('a', 64), null, null)
        {
            Checkpoints = new CheckpointVerification(3, 3, Checkpoint(3, 30_000), 42, null, null, file),
        };
        var cut = Render<ChainVerificationView>(p => p.Add(c => c.Result, result));

        Assert.Contains("3 of 3 signed checkpoints agree with the chain", cut.Find("[data-testid=checkpoint-count]").TextContent, StringComparison.Ordinal);
        var latest = cut.Find("[data-testid=checkpoint-latest]").TextContent;
        Assert.Contains("vouches for event 30,000", latest, StringComparison.Ordinal);
        Assert.Contains("2026-12-06 09:30:00Z", latest, StringComparison.Ordinal);
        Assert.Contains("The 42 events after it will be signed by the next checkpoint.", latest, StringComparison.Ordinal);
        var key = cut.Find("[data-testid=checkpoint-key]").TextContent;
        Assert.Contains("by the installation's key", key, StringComparison.Ordinal);
        Assert.Contains("0123456789abcdef…", key, StringComparison.Ordinal);
        Assert.Contains("append-only checkpoint file", cut.Find("[data-testid=checkpoint-file]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=checkpoint-problem]"));
    }

    [Fact]
    public void AChainWithoutCheckpoints_SaysSo()
    {
        var cut = Render<ChainVerificationView>(p => p.Add(c => c.Result, new ChainVerification(true, 12, new string('a', 64), null, null)));
        Assert.Contains("No checkpoint has been signed yet", cut.Find("[data-testid=checkpoint-count]").TextContent, StringComparison.Ordinal);
        Assert.Contains("No checkpoint file is configured", cut.Find("[data-testid=checkpoint-file]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AConsistentRewrite_ShowsTheFirstForgedRange_InPlainWords()
    {
        var after = Checkpoint(1, 10_000);
        var upto = Checkpoint(2, 20_000);
        var problem = new CheckpointProblem(CheckpointProblemKind.Rewritten, upto, "The history after checkpoint 1 … was rewritten.");
        var result = new ChainVerification(false, 10_000, new string('a', 64), 10_001, problem.Message)
        {
            Checkpoints = new CheckpointVerification(3, 1, after, 0, new ForgedRange(10_001, 20_000, after, upto), problem, CheckpointFileCheck.NotConfigured),
        };
        var cut = Render<ChainVerificationView>(p => p.Add(c => c.Result, result));

        Assert.Contains("history was rewritten", cut.Find("[data-testid=chain-verdict]").TextContent, StringComparison.Ordinal);
        var forged = cut.Find("[data-testid=checkpoint-forged]").TextContent;
        Assert.Contains("recomputed every hash", forged, StringComparison.Ordinal);
        Assert.Contains("signed checkpoint 2 (event 20,000, signed 2026-12-06 09:30:00Z) no longer", forged, StringComparison.Ordinal);
        Assert.Contains("after checkpoint 1 (event 10,000", forged, StringComparison.Ordinal);
        Assert.Equal("/audit/10001", cut.Find("[data-testid=chain-broken-link]").GetAttribute("href"));
        Assert.Contains("last good one vouches for event 10,000", cut.Find("[data-testid=checkpoint-latest]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpointRemovedFromTheDatabase_IsSaid_ThoughEveryEventChecksOut()
    {
        var removed = Checkpoint(2, 20_000, source: CheckpointSource.FileOnly);
        var problem = new CheckpointProblem(CheckpointProblemKind.RemovedFromDatabase, removed, "…");
        var result = new ChainVerification(false, 25_000, new string('a', 64), null, problem.Message)
        {
            Checkpoints = new CheckpointVerification(3, 3, Checkpoint(3, 25_000), 0, null, problem, new CheckpointFileCheck(CheckpointFileState.Compared, 3, null)),
        };
        var cut = Render<ChainVerificationView>(p => p.Add(c => c.Result, result));

        Assert.Contains("checkpoints were tampered with", cut.Find("[data-testid=chain-verdict]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=chain-broken-link]"));
        Assert.Contains("Checkpoint 2 (event 20,000, signed 2026-12-06 09:30:00Z) is in the append-only checkpoint file but was removed from the database",
            cut.Find("[data-testid=checkpoint-problem]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAddress_KeepsEveryFilter_AndReadsItBack()
    {
        var vendor = Guid.NewGuid();
        var actor = Guid.NewGuid();
        var state = AuditUrl.State.Empty with
        {
            Filter = new AuditFilter(SubjectType: "grant", SubjectId: "x y", ActorUserId: actor, EventType: 4001, CorrelationId: "c-1", ActorName: "casey",
                VendorId: vendor, Operation: "grant.request", RuleId: "LOC-COVERED"),
            OldestFirst = true,
        };
        state = state.WithDays(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        var url = AuditUrl.Build(state);
        Assert.StartsWith("/audit?", url, StringComparison.Ordinal);
        Assert.Contains("subjectId=x%20y", url, StringComparison.Ordinal);

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + url).Query);
        var parsed = AuditUrl.Parse(name => query.TryGetValue(name, out var v) ? v.ToString() : null);
        Assert.Equal(state, parsed);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), parsed.Filter.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), parsed.Filter.To); // the last day is included

        Assert.Equal("/audit", AuditUrl.Build(AuditUrl.Parse(_ => null)));
        Assert.Equal(AuditUrl.State.Empty, AuditUrl.Parse(name => name == "eventType" ? "abc" : name == "from" ? "yesterday" : null));
    }
}
