using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>A read-only stream that returns at most a few bytes per read (as a slow network does), and counts what was read.</summary>
internal sealed class TrickleStream(byte[] content, int chunk) : ReadOnlyStream
{
    private int position;

    public int BytesRead => position;

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(chunk, buffer.Length), content.Length - position);
        content.AsSpan(position, n).CopyTo(buffer);
        position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
}
