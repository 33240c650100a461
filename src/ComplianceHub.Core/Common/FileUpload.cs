namespace ComplianceHub.Core.Common;

/// <summary>
/// The content of an uploaded file (a roster for <see cref="Features.Personnel.ImportRoster"/>, a git log or CSV for
/// <see cref="Features.Contributions.ImportContributions"/>), read as a stream each time the import needs it — never held
/// whole in memory by the portal: an upload is spooled to a temporary file (<see cref="SpoolAsync"/>, deleted when disposed),
/// or an API upload is read from where ASP.NET Core's form reader spooled it. Bytes in memory (tests, the benchmark) convert
/// implicitly.
/// </summary>
public sealed class FileUpload : IDisposable
{
    private readonly Func<Stream> open;
    private readonly string? spooled;

    private FileUpload(Func<Stream> open, long length, string? spooled)
    {
        this.open = open;
        Length = length;
        this.spooled = spooled;
    }

    /// <summary>The file's size in bytes.</summary>
    public long Length { get; }

    /// <summary>A new read of the whole file, from its start; the caller disposes it.</summary>
    public Stream Open() => open();

    /// <summary>The SHA-256 of the content (lower-case hex), read through once in 80 KB buffers: never the whole file in memory.</summary>
    public async Task<string> Sha256Async(CancellationToken ct)
    {
        await using var stream = Open();
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>Content that its owner can open again (a seekable source is best: an .xlsx is a zip, read from its end).</summary>
    public static FileUpload FromStream(Func<Stream> open, long length) => new(open, length, null);

    public static implicit operator FileUpload(byte[] content) =>
        new(() => new MemoryStream(content, writable: false), content.Length, null);

    /// <summary>
    /// Copies <paramref name="source"/> to a temporary file readable only by this process's user, refusing more than
    /// <paramref name="maxBytes"/> (null then, and nothing kept). Dispose the upload to delete the file.
    /// </summary>
    public static async Task<FileUpload?> SpoolAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"compliancehub-upload-{Guid.NewGuid():N}.upload");
        try
        {
            long length;
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // people's data: for this process's user only
            }
            await using (var file = new FileStream(path, options))
            {
                var buffer = new byte[81_920];
                length = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                    {
                        throw new InvalidDataException("too large");
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            return new FileUpload(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous),
                length, path);
        }
        catch (InvalidDataException)
        {
            File.Delete(path);
            return null;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public void Dispose()
    {
        if (spooled is not null)
        {
            File.Delete(spooled);
        }
    }
}
