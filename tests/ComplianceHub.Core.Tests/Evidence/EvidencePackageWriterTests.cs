using System.Security.Cryptography;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.Core.Tests.Evidence;

/// <summary>
/// A package file of many rows goes out as it is written: the zip writer never holds a file (or the package) back. A ten-year
/// package's audit events are gigabytes, so a buffered entry would be a buffered package.
/// </summary>
public sealed class EvidencePackageWriterTests
{
    [Fact]
    public async Task ALargeFile_ReachesTheOutput_InSmallWrites_WhileItIsWritten()
    {
        const int Rows = 200_000;
        var sink = new RecordingSink();
        long writtenBeforeTheEnd = 0;
        await using (var package = await EvidencePackageWriter.CreateAsync(sink, new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero)))
        {
            await package.AddJsonLinesAsync(EvidencePackage.AuditEvents, Lines(), (w, i) =>
            {
                w.WriteStartObject();
                w.WriteNumber("sequence", i);
                // Random text does not compress: the file's bytes must really pass through.
                w.WriteString("hash", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
                w.WriteEndObject();
            });
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var key = Security.AuditSigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
            await package.CompleteAsync(w => w.WriteString("format", EvidencePackage.Format), key, []);
        }

        // ~85 bytes a line: 17 MB of JSON, ~11 MB compressed. It left while the rows were produced, never more than a
        // flush's worth at once.
        Assert.True(sink.Written > 8_000_000, $"{sink.Written:N0} bytes");
        Assert.True(writtenBeforeTheEnd > sink.Written / 2, $"{writtenBeforeTheEnd:N0} of {sink.Written:N0} bytes left before the last row.");
        Assert.True(sink.LargestWrite < 1_000_000, $"A write of {sink.LargestWrite:N0} bytes.");

        async IAsyncEnumerable<int> Lines()
        {
            for (var i = 1; i <= Rows; i++)
            {
                if (i == Rows)
                {
                    writtenBeforeTheEnd = sink.Written;
                }
                yield return i;
            }
            await Task.CompletedTask;
        }
    }

    /// <summary>Discards what it is sent, remembering the largest single write.</summary>
    private sealed class RecordingSink : WriteOnlySink
    {
        public long LargestWrite { get; private set; }

        protected override void OnWrite(ReadOnlySpan<byte> buffer) => LargestWrite = Math.Max(LargestWrite, buffer.Length);
    }
}
