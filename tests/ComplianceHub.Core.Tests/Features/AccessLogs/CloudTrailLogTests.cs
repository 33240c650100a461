using System.IO.Compression;
using System.Net;
using System.Text;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>AWS CloudTrail log files as delivered to S3: who, from where, and whether it worked.</summary>
public sealed class CloudTrailLogTests
{
    // One file as CloudTrail writes it: a single line {"Records":[...]} (here one record a line, for readable line numbers).
    private const string Delivered = """
        {"Records":[
        {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDACKCEVSQ6C2EXAMPLE","arn":"arn:aws:iam::111122223333:user/jdoe","accountId":"111122223333","userName":"jdoe"},"eventTime":"2026-12-03T08:14:02Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"},"eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a001","readOnly":false,"eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333"},
        {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDACKCEVSQ6C2EXAMPLE","accountId":"111122223333","userName":"jdoe"},"eventTime":"2026-12-03T08:20:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","sourceIPAddress":"198.51.100.9","responseElements":{"ConsoleLogin":"Failure"},"errorMessage":"Failed authentication","eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a002","recipientAccountId":"111122223333"},
        {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLEID:li.wei@vendor.example","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/li.wei@vendor.example","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","userName":"AWSReservedSSO_AdministratorAccess_0123456789abcdef"}}},"eventTime":"2026-12-03T09:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","sourceIPAddress":"2001:db8::42","eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a003","recipientAccountId":"111122223333"},
        {"eventVersion":"1.09","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"eventTime":"2026-12-03T09:30:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","sourceIPAddress":"203.0.113.8","errorCode":"AccessDenied","errorMessage":"denied","eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a004","recipientAccountId":"111122223333"},
        {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLEID:i-0abcd1234","arn":"arn:aws:sts::111122223333:assumed-role/ec2-app/i-0abcd1234","accountId":"111122223333"},"eventTime":"2026-12-03T09:31:00Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","sourceIPAddress":"ec2.amazonaws.com","eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a005","recipientAccountId":"111122223333"},
        {"eventVersion":"1.09","userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"},"eventTime":"2026-12-03T09:32:00Z","eventSource":"s3.amazonaws.com","eventName":"GetBucketAcl","sourceIPAddress":"AWS Internal","eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a006"},
        {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","userName":"ops"},"eventTime":"03/12/2026 09:33","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a007"},
        {"eventVersion":"1.09","userIdentity":{},"eventTime":"2026-12-03T09:34:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","sourceIPAddress":"300.1.2.3","eventID":"3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a008"}
        ]}
        """;

    [Fact]
    public async Task Records_NameTheUser_TheSessionOfAnAssumedRole_AndRoot_AndTellFailures()
    {
        var read = await AccessLogRead.OfAsync(Delivered, AccessLogFormat.CloudTrailJson);

        Assert.Equal(
            [
                (2, "jdoe", "203.0.113.7", true),
                (3, "jdoe", "198.51.100.9", false),             // ConsoleLogin: Failure
                (4, "li.wei@vendor.example", "2001:db8::42", true), // IAM Identity Center: the session name is the e-mail
                (5, "root", "203.0.113.8", false),              // an error code
                (6, "i-0abcd1234", "ec2.amazonaws.com", true),
                (7, "cloudtrail.amazonaws.com", "AWS Internal", true),
            ],
            read.Entries.Select(e => (e.Line, e.Identity, e.SourceAddress, e.Succeeded)));
        var first = read.Entries[0];
        Assert.Equal(("3fcfb508-4b9a-4fa4-9f3b-7a2bd4f4a001", "111122223333"), (first.EventId, first.System));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 8, 14, 2, TimeSpan.Zero), first.OccurredAt);
        Assert.Equal(IPAddress.Parse("2001:db8::42"), read.Entries[2].Address);
        Assert.Null(read.Entries[4].Address); // a service name, not an address
        Assert.Null(read.Entries[5].Address);
        Assert.Equal("s3.amazonaws.com", read.Entries[5].System); // no account: the service
        Assert.Contains("\"eventName\":\"ConsoleLogin\"", first.Excerpt, StringComparison.Ordinal);
        Assert.Contains("\"userIdentity\":\"arn:aws:iam::111122223333:user/jdoe\"", first.Excerpt, StringComparison.Ordinal);

        Assert.Equal([(8, "eventTime"), (8, "sourceIPAddress"), (9, "userIdentity"), (9, "sourceIPAddress")],
            read.Problems.Select(p => (p.Line, p.Field)));
        Assert.Equal("The time \"03/12/2026 09:33\" is not a date and time. Write it like 2026-12-03T08:14:02Z.", read.Problems[0].Message);
        Assert.Equal("The source address is missing: without it the sign-in cannot be placed.", read.Problems[1].Message);
        Assert.Contains("\"300.1.2.3\" is not an IP address", read.Problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGzipFile_IsDecompressedAsItIsRead()
    {
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Delivered));
        }
        compressed.Position = 0;
        Assert.Equal(AccessLogFormat.CloudTrailJson, await AccessLogReader.DetectAsync(() => new MemoryStream(compressed.ToArray()), CancellationToken.None));
        var read = await AccessLogRead.OfAsync(compressed, AccessLogFormat.CloudTrailJson);
        Assert.Equal(6, read.Entries.Count);
        Assert.Equal(4, read.Problems.Count);
    }

    [Fact]
    public async Task ADamagedGzipFile_IsOneProblem()
    {
        var bytes = new byte[] { 0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        var read = await AccessLogRead.OfAsync(new MemoryStream(bytes), AccessLogFormat.CloudTrailJson);
        Assert.Contains("damaged gzip", read.FileProblem().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilesWrittenOneAfterAnother_AreAllRead()
    {
        const string one = """{"Records":[{"userIdentity":{"type":"IAMUser","userName":"a"},"eventTime":"2026-12-03T08:00:00Z","sourceIPAddress":"203.0.113.1","eventID":"1"}]}""";
        const string two = """{"Records":[{"userIdentity":{"type":"IAMUser","userName":"b"},"eventTime":"2026-12-03T08:00:00Z","sourceIPAddress":"203.0.113.2","eventID":"2"}]}""";
        var read = await AccessLogRead.OfAsync(one + "\n" + two + "\n", AccessLogFormat.CloudTrailJson);
        Assert.Equal([("a", 1), ("b", 2)], read.Entries.Select(e => (e.Identity, e.Line)));
    }

    [Fact]
    public async Task AnEntraFile_ReadAsCloudTrail_SaysItIsNotOne() =>
        Assert.Contains("The JSON holds no \"Records\" list. Check the format chosen for this file: AWS CloudTrail log (JSON).",
            (await AccessLogRead.OfAsync("""{"value":[]}""", AccessLogFormat.CloudTrailJson)).FileProblem().Message, StringComparison.Ordinal);
}
