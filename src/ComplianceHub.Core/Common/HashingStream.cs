using System.Security.Cryptography;

namespace ComplianceHub.Core.Common;

/// <summary>
/// A write-only pass-through that hashes (SHA-256) and counts every byte on its way to the inner stream, so an export
/// knows the hash of exactly what it sent without holding it, and an evidence package the hash of each file it zips.
/// The inner stream stays open.
/// </summary>
/// <param name="inner">Where the bytes go.</param>
/// <param name="flushInner">False to swallow flushes (a zip entry written onto an HTTP response must not flush synchronously).</param>
internal sealed class HashingStream(Stream inner, bool flushInner = true) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Bytes written so far.</summary>
    public long Written { get; private set; }

    /// <summary>The SHA-256 of the bytes written so far, lower-case hex.</summary>
    public string Sha256() => Convert.ToHexStringLower(hash.GetCurrentHash());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        Written += buffer.Length;
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        Written += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
        if (flushInner)
        {
            inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => flushInner ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
