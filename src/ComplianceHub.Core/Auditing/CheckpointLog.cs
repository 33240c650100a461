using System.Text;
using ComplianceHub.Core.Security;
using Microsoft.Extensions.Configuration;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// The second copy of the chain's checkpoints, outside the database: one JSON line per checkpoint
/// (<see cref="ChainCheckpoint.ToJsonLine"/>), appended by the signer and flushed to disk before the checkpoint's transaction
/// commits. A database owner who deletes checkpoints from the table to hide a rewrite cannot delete them here; verification
/// compares the two. Only appended to (opened in append mode, so <c>chattr +a</c> can make it append-only for root too), readable
/// and writable by the portal's account only (0600).
/// Setting <c>Audit:CheckpointLogPath</c>; by default <c>checkpoints.jsonl</c> in <c>Keys:Folder</c> (or beside the signing key).
/// </summary>
public sealed class CheckpointLog(string? path)
{
    public const string FileName = "checkpoints.jsonl";

    /// <summary>The file, or null when none is configured (no key folder, no setting).</summary>
    public string? Path { get; } = string.IsNullOrWhiteSpace(path) ? null : path;

    /// <summary>The configured file: <c>Audit:CheckpointLogPath</c>, else <see cref="FileName"/> beside the key files.</summary>
    public static CheckpointLog From(IConfiguration configuration, KeyFiles? keys)
    {
        if (configuration["Audit:CheckpointLogPath"] is { Length: > 0 } configured)
        {
            return new CheckpointLog(configured);
        }
        var folder = configuration[$"{KeyFiles.Section}:Folder"] is { Length: > 0 } f ? f
            : keys is null ? null : System.IO.Path.GetDirectoryName(keys.AuditSigningKey);
        return new CheckpointLog(string.IsNullOrEmpty(folder) ? null : System.IO.Path.Combine(folder, FileName));
    }

    /// <summary>
    /// Appends <paramref name="checkpoint"/>'s line and waits until it is on disk (fsync). Creates the file (0600) and its folder
    /// when missing. Does nothing when no file is configured.
    /// </summary>
    public void Append(ChainCheckpoint checkpoint)
    {
        if (Path is null)
        {
            return;
        }
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        // One write of the whole line: appends of the instances that share the file never interleave within a line.
        var line = Encoding.UTF8.GetBytes(checkpoint.ToJsonLine() + "\n");
        if (OperatingSystem.IsLinux())
        {
            using var handle = OpenForAppend(Path);
            var written = 0;
            while (written < line.Length)
            {
                var n = Native.Write(handle, line.AsSpan(written));
                written += n >= 0 ? (int)n : throw Failure("write to", Path);
            }
            if (Native.Fsync(handle) != 0)
            {
                throw Failure("flush to disk", Path);
            }
            return;
        }
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(Path, options);
        stream.Write(line);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending in the kernel's sense (<c>O_APPEND</c>: every write lands at the end, and a file
    /// made append-only with <c>chattr +a</c> accepts it), created 0600 when missing. .NET's <see cref="FileMode.Append"/> does not
    /// set <c>O_APPEND</c> (it seeks to the end once), which an append-only file refuses.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    internal static Microsoft.Win32.SafeHandles.SafeFileHandle OpenForAppend(string path)
    {
        const int WriteOnly = 0x1, Create = 0x40, Append = 0x400, CloseOnExec = 0x80000; // Linux <fcntl.h>
        var fd = Native.Open(path, WriteOnly | Create | Append | CloseOnExec, 0x180 /* 0600 */);
        return fd >= 0 ? new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true) : throw Failure("open for appending", path);
    }

    private static IOException Failure(string what, string path) =>
        new($"Could not {what} the checkpoint file {path}: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}");

    /// <summary>The three C library calls an append needs (Linux).</summary>
    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "write", SetLastError = true)]
        private static extern nint Write(Microsoft.Win32.SafeHandles.SafeFileHandle fd, ref byte buffer, nint count);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(Microsoft.Win32.SafeHandles.SafeFileHandle fd);

        public static nint Write(Microsoft.Win32.SafeHandles.SafeFileHandle fd, ReadOnlySpan<byte> bytes) =>
            Write(fd, ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bytes), bytes.Length);
    }

    /// <summary>
    /// The file's checkpoints (null when it was not read) and whether it could be compared. A line that is not a checkpoint (a
    /// line cut short by a crash, an edit) is left out and named in the detail.
    /// </summary>
    public (IReadOnlyList<ChainCheckpoint>? Checkpoints, CheckpointFileCheck Check) Read()
    {
        if (Path is null)
        {
            return (null, CheckpointFileCheck.NotConfigured);
        }
        if (!File.Exists(Path))
        {
            return (null, new CheckpointFileCheck(CheckpointFileState.Missing, 0, "There is no checkpoint file yet on this host."));
        }
        try
        {
            var checkpoints = new List<ChainCheckpoint>();
            var unreadable = new List<int>();
            var number = 0;
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }
                if (ChainCheckpoint.FromJsonLine(line) is { } checkpoint)
                {
                    checkpoints.Add(checkpoint);
                }
                else
                {
                    unreadable.Add(number);
                }
            }
            var detail = unreadable.Count == 0 ? null
                : $"{unreadable.Count} line(s) of the file are not checkpoints (line {string.Join(", ", unreadable.Take(5))}{(unreadable.Count > 5 ? ", …" : "")}).";
            return (checkpoints, new CheckpointFileCheck(CheckpointFileState.Compared, checkpoints.Count, detail));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, new CheckpointFileCheck(CheckpointFileState.Unreadable, 0, ex.Message));
        }
    }
}
