using MudBlazor;

namespace ComplianceHub.Web.Components.Layout;

/// <summary>The portal's colours, chosen for WCAG 2.1 AA contrast on white and on the primary bar.</summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1B3A5C",
            Secondary = "#5C4B1B",
            AppbarBackground = "#1B3A5C",
            AppbarText = "#FFFFFF",
            Success = "#1E6B34",
            Warning = "#8A4B00",
            Error = "#B00020",
            Info = "#1F5A96",
            TextSecondary = "#4A4A4A",
            ActionDefault = "#333333",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"] },
        },
    };
}
