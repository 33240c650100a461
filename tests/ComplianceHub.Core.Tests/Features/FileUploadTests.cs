using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Tests.Features;

/// <summary>An uploaded roster is spooled to a private temporary file, read from it as often as needed, and deleted after.</summary>
public sealed class FileUploadTests
{
    private static string[] Spooled() => Directory.GetFiles(Path.GetTempPath(), "compliancehub-upload-*.upload");

    [Fact]
    public async Task AnUpload_IsSpooledToAFileOnlyItsUserReads_ReadAgainFromItsStart_AndDeletedWhenDisposed()
    {
        var bytes = new byte[300_000];
        Random.Shared.NextBytes(bytes);
        var before = Spooled();

        var upload = await FileUpload.SpoolAsync(new MemoryStream(bytes), maxBytes: 1_000_000, CancellationToken.None);

        Assert.NotNull(upload);
        Assert.Equal(bytes.Length, upload.Length);
        var file = Assert.Single(Spooled().Except(before));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        for (var read = 0; read < 2; read++) // the dry run, then the apply
        {
            await using var stream = upload.Open();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        upload.Dispose();
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task AnUploadOverTheLimit_IsRefused_AndLeavesNoFile()
    {
        var before = Spooled();
        var upload = await FileUpload.SpoolAsync(new MemoryStream(new byte[2_000]), maxBytes: 1_000, CancellationToken.None);

        Assert.Null(upload);
        Assert.Empty(Spooled().Except(before));
    }
}
