namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>The plain CSV access log: what it holds and a template to start from.</summary>
public static class PlainCsvFile
{
    /// <summary>The columns, in the template's order: user, time and address are required; system, id and result are optional.</summary>
    public static readonly IReadOnlyList<string> Columns = ["user", "time", "address", "system", "id", "result"];

    /// <summary>The CSV template, with two example rows (a success and a failure).</summary>
    public const string Template = "user,time,address,system,id,result\r\n" +
        "jane.roe@vendor.example,2026-12-03T08:14:02Z,203.0.113.7,portal-prod,evt-0001,success\r\n" +
        "jane.roe@vendor.example,2026-12-03T09:30:00-05:00,2001:db8::7,portal-prod,evt-0002,failure\r\n";
}
