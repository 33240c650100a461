using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Common;

// Access logs (issue 25): the formats the import reads, as the wizard, reports and the API's problems name them.
public static partial class Words
{
    public static string Of(AccessLogFormat value) => value switch
    {
        AccessLogFormat.EntraIdJson => "Microsoft Entra ID sign-in log (JSON)",
        AccessLogFormat.EntraIdCsv => "Microsoft Entra ID sign-in log (CSV)",
        AccessLogFormat.CloudTrailJson => "AWS CloudTrail log (JSON)",
        AccessLogFormat.SshdAuthLog => "Linux sshd log (auth.log or secure)",
        AccessLogFormat.PlainCsv => "CSV of user, time, address and system",
        _ => Unknown(value),
    };
}
