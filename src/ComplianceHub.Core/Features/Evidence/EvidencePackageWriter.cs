using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Features.Evidence;

/// <summary>
/// Writes an evidence package zip front to back onto any stream (an HTTP response included: nothing is seeked back),
/// hashing and counting each file as it is written, and ends it with <c>manifest.json</c> listing every file's name,
/// size and SHA-256. Rows are streamed through a small buffer, so memory does not grow with the package.
/// </summary>
public sealed class EvidencePackageWriter : IAsyncDisposable
{
    /// <summary>Buffered JSON is handed to the zip once it reaches this size.</summary>
    private const int FlushBytes = 64 * 1024;

    private static readonly JsonWriterOptions Indented = new() { Indented = true };
    private static readonly JsonWriterOptions Compact = new();

    private readonly ZipArchive archive;
    private readonly DeferredWriteStream output;
    private readonly DateTimeOffset stamp;
    private readonly List<EvidenceFile> files = [];
    private bool completed;

    private EvidencePackageWriter(ZipArchive archive, DeferredWriteStream output, DateTimeOffset stamp)
    {
        this.archive = archive;
        this.output = output;
        this.stamp = stamp;
    }

    /// <summary>Starts a package on <paramref name="output"/> (left open); <paramref name="generatedAt"/> stamps every entry.</summary>
    public static async Task<EvidencePackageWriter> CreateAsync(Stream output, DateTimeOffset generatedAt, CancellationToken ct = default)
    {
        var deferred = new DeferredWriteStream(output);
        return new(await ZipArchive.CreateAsync(deferred, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, ct), deferred, generatedAt);
    }

    /// <summary>The files written so far, in order.</summary>
    public IReadOnlyList<EvidenceFile> Files => files;

    /// <summary>A JSON array file, one object per row (indented, for people to read).</summary>
    public Task<EvidenceFile> AddJsonArrayAsync<T>(string name, IAsyncEnumerable<T> rows, Action<Utf8JsonWriter, T> write, CancellationToken ct = default) =>
        AddAsync(name, async stream =>
        {
            var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
            await using var json = new Utf8JsonWriter(buffer, Indented);
            json.WriteStartArray();
            long count = 0;
            await foreach (var row in rows.WithCancellation(ct))
            {
                write(json, row);
                count++;
                if (json.BytesPending + buffer.WrittenCount > FlushBytes)
                {
                    json.Flush();
                    await Drain(buffer, stream, ct);
                }
            }
            json.WriteEndArray();
            json.Flush();
            await Drain(buffer, stream, ct);
            return count;
        }, ct);

    /// <summary>A JSON Lines file: one compact JSON object per line, each line ended by <c>\n</c>.</summary>
    public Task<EvidenceFile> AddJsonLinesAsync<T>(string name, IAsyncEnumerable<T> rows, Action<Utf8JsonWriter, T> write, CancellationToken ct = default) =>
        AddAsync(name, async stream =>
        {
            var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
            await using var json = new Utf8JsonWriter(buffer, Compact);
            long count = 0;
            await foreach (var row in rows.WithCancellation(ct))
            {
                write(json, row);
                json.Flush();
                buffer.Write("\n"u8);
                json.Reset(buffer);
                count++;
                if (buffer.WrittenCount > FlushBytes)
                {
                    await Drain(buffer, stream, ct);
                }
            }
            await Drain(buffer, stream, ct);
            return count;
        }, ct);

    /// <summary>A small JSON document (indented).</summary>
    public Task<EvidenceFile> AddJsonAsync(string name, Action<Utf8JsonWriter> write, CancellationToken ct = default) =>
        AddAsync(name, async stream =>
        {
            await stream.WriteAsync(Json(write), ct);
            return null;
        }, ct);

    /// <summary>A UTF-8 text file (no byte order mark).</summary>
    public Task<EvidenceFile> AddTextAsync(string name, string text, CancellationToken ct = default) => AddBytesAsync(name, Encoding.UTF8.GetBytes(text), ct);

    /// <summary>A file of the given bytes (a signature, a signed text).</summary>
    public Task<EvidenceFile> AddBytesAsync(string name, ReadOnlyMemory<byte> bytes, CancellationToken ct = default) =>
        AddAsync(name, async stream =>
        {
            await stream.WriteAsync(bytes, ct);
            return null;
        }, ct);

    /// <summary>
    /// The files so far as <c>sha256sum</c> prints them (<c>hash␣␣name</c>, one a line), so that <c>sha256sum -c</c> checks them
    /// with nothing but coreutils.
    /// </summary>
    public string Checksums() => string.Concat(files.Select(f => $"{f.Sha256}  {f.Name}\n"));

    /// <summary>Each checkpoint's signed text and signature (<c>checkpoints/&lt;sequence&gt;.txt</c> and <c>.sig</c>), for OpenSSL.</summary>
    public async Task AddCheckpointsAsync(IEnumerable<ChainCheckpoint> checkpoints, CancellationToken ct = default)
    {
        foreach (var checkpoint in checkpoints)
        {
            await AddTextAsync(EvidencePackage.CheckpointText(checkpoint.Sequence), checkpoint.Text, ct);
            await AddBytesAsync(EvidencePackage.CheckpointSignature(checkpoint.Sequence), checkpoint.Signature, ct);
        }
    }

    /// <summary>
    /// Writes <c>manifest.json</c> — the metadata <paramref name="writeMetadata"/> writes; <c>signingKey</c> (<paramref name="signer"/>'s
    /// id, algorithm and public key); <c>checkpoints</c>, each as <see cref="ChainCheckpoint.ToJsonLine"/> writes it; then
    /// <c>files</c>: every file so far with its size, SHA-256 and record count — then <c>manifest.sig</c>, the signer's DER
    /// signature of the manifest's exact bytes, and closes the zip. Returns the manifest's own entry.
    /// </summary>
    public async Task<EvidenceFile> CompleteAsync(Action<Utf8JsonWriter> writeMetadata, AuditSigningKey signer, IReadOnlyList<ChainCheckpoint> checkpoints,
        CancellationToken ct = default)
    {
        var listed = files.ToList();
        var bytes = Json(w =>
        {
            w.WriteStartObject();
            writeMetadata(w);
            w.WriteStartObject("signingKey");
            w.WriteString("keyId", signer.KeyId);
            w.WriteString("algorithm", EvidencePackage.SignatureAlgorithm);
            w.WriteString("publicKeyPem", signer.PublicKeyPem);
            w.WriteEndObject();
            w.WriteStartArray("checkpoints");
            foreach (var checkpoint in checkpoints)
            {
                w.WriteRawValue(checkpoint.ToJsonLine());
            }
            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var file in listed)
            {
                w.WriteStartObject();
                w.WriteString("name", file.Name);
                w.WriteNumber("size", file.Size);
                w.WriteString("sha256", file.Sha256);
                if (file.Records is { } records)
                {
                    w.WriteNumber("records", records);
                }
                else
                {
                    w.WriteNull("records");
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        var manifest = await AddBytesAsync(EvidencePackage.Manifest, bytes, ct);
        await AddBytesAsync(EvidencePackage.ManifestSignature, signer.Sign(bytes), ct);
        completed = true;
        await archive.DisposeAsync(); // the central directory
        await output.DrainAsync(ct);
        return manifest;
    }

    public async ValueTask DisposeAsync()
    {
        if (!completed)
        {
            await archive.DisposeAsync();
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task Drain(ArrayBufferWriter<byte> buffer, Stream stream, CancellationToken ct)
    {
        if (buffer.WrittenCount > 0)
        {
            await stream.WriteAsync(buffer.WrittenMemory, ct);
            buffer.ResetWrittenCount();
        }
    }

    private async Task<EvidenceFile> AddAsync(string name, Func<Stream, Task<long?>> body, CancellationToken ct)
    {
        if (completed)
        {
            throw new InvalidOperationException("The package is complete: the manifest is its last file.");
        }
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = stamp;
        long? records;
        long size;
        string sha256;
        await using (var raw = await entry.OpenAsync(ct))
        {
            await using var hashing = new HashingStream(raw, flushInner: false);
            records = await body(hashing);
            size = hashing.Written;
            sha256 = hashing.Sha256();
        }
        await output.DrainAsync(ct); // what closing the entry wrote (the compressor's tail, the entry's sizes and CRC)
        var file = new EvidenceFile(name, size, sha256, records);
        files.Add(file);
        return file;
    }

    /// <summary>
    /// Sits between the zip and the output. <see cref="ZipArchive"/> still writes synchronously when it closes an entry or
    /// the archive (the compressor's last block, the data descriptor, the central directory), which an HTTP response refuses;
    /// those few bytes are held here and sent asynchronously by <see cref="DrainAsync"/>. Asynchronous writes go straight through.
    /// </summary>
    private sealed class DeferredWriteStream(Stream inner) : Stream
    {
        private readonly MemoryStream pending = new();
        private long position;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public async Task DrainAsync(CancellationToken ct)
        {
            if (pending.Length > 0)
            {
                await inner.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), ct);
                pending.SetLength(0);
            }
            await inner.FlushAsync(ct);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            pending.Write(buffer);
            position += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (pending.Length > 0)
            {
                await inner.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), cancellationToken);
                pending.SetLength(0);
            }
            await inner.WriteAsync(buffer, cancellationToken);
            position += buffer.Length;
        }

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                pending.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
