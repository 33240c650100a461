namespace ComplianceHub.Tests.Shared;

/// <summary>
/// A stream that discards what it is sent, for tests that watch what a writer sends (an export, an evidence package):
/// every write, synchronous or not, is counted in <see cref="Written"/> and then passed to <see cref="OnWrite"/>.
/// </summary>
public abstract class WriteOnlySink : Stream
{
    /// <summary>Bytes received so far.</summary>
    public long Written { get; private set; }

    /// <summary>Sees each write, after <see cref="Written"/> has counted it.</summary>
    protected abstract void OnWrite(ReadOnlySpan<byte> buffer);

    public sealed override void Write(ReadOnlySpan<byte> buffer)
    {
        Written += buffer.Length;
        OnWrite(buffer);
    }

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public sealed override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
