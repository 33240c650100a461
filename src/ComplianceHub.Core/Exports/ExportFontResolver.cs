using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// The fonts of the PDF reports: DejaVu Sans and DejaVu Sans Bold, bundled in this assembly (Exports/Fonts, with their
/// licence), so a report renders the same on any server, with or without system fonts. PDFsharp's resolver is
/// process-wide: <see cref="Register"/> sets it once, under a lock, and leaves a resolver someone else set in place
/// (ours then serves as the fallback).
/// </summary>
internal sealed class ExportFontResolver : IFontResolver
{
    /// <summary>The family name reports ask for.</summary>
    public const string Family = "DejaVu Sans";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";
    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, byte[]> Faces = new();
    private static bool registered;

    /// <summary>Makes the bundled fonts available to PDFsharp (once per process; thread-safe).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (registered)
            {
                return;
            }
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = new ExportFontResolver();
            }
            else if (GlobalFontSettings.FallbackFontResolver is null)
            {
                GlobalFontSettings.FallbackFontResolver = new ExportFontResolver();
            }
            registered = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic)
            : null;

    public byte[]? GetFont(string faceName) => faceName is Regular or Bold
        ? Faces.GetOrAdd(faceName, static face =>
        {
            using var resource = typeof(ExportFontResolver).Assembly.GetManifestResourceStream($"ComplianceHub.Core.Exports.Fonts.{face}.ttf")
                ?? throw new InvalidOperationException($"The font {face}.ttf is not embedded in ComplianceHub.Core.");
            using var bytes = new MemoryStream();
            resource.CopyTo(bytes);
            return bytes.ToArray();
        })
        : null;
}
