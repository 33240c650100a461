using Scalar.AspNetCore;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// The API reference (Scalar, at <c>/scalar/v1</c>) made to pass the same accessibility check as the portal's pages (WCAG 2.1 AA,
/// axe): Scalar's page template has no <c>lang</c> on its <c>html</c> element, so a head script sets it before anything renders
/// (the page's policy allows inline scripts, SecurityHeadersMiddleware), and the same script keeps its example-response cards
/// from being landmarks that share one name; its light theme's secondary text colours are too
/// faint on its backgrounds, so they are darkened to the portal's (at least 4.5:1 on white and on Scalar's grey panels); its
/// developer toolbar (localhost only) gives a header element a role axe refuses, and is hidden.
/// </summary>
internal static class ApiReferencePage
{
    // Scalar renders each operation's example responses as a card with role="region", all named alike ("Example Responses"), so
    // a page of operations has dozens of landmarks with one name (axe: landmark-unique). The cards are not places to jump to:
    // they lose the landmark role and its name, whenever Scalar (re)renders one.
    private const string HeadScript = """
        <script>
        document.documentElement.lang = 'en';
        new MutationObserver(() => document.querySelectorAll('.response-card[role="region"]').forEach(card => {
            card.removeAttribute('role');
            card.removeAttribute('aria-label');
            card.removeAttribute('aria-labelledby');
        })).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['role'] });
        </script>
        """;

    // Scalar's variables (its themes package): colour 2 and 3 are secondary and tertiary text, the accent links and buttons.
    // #000000de-like greys of the portal's theme; each of these is at least 4.5:1 on #f6f6f6, Scalar's darkest light background.
    private const string Contrast = """
        .light-mode {
          --scalar-color-1: #1b1b1b;
          --scalar-color-2: #4f4f4f;
          --scalar-color-3: #595959;
          --scalar-color-ghost: #595959;
          --scalar-color-disabled: #595959;
          --scalar-color-accent: #0b5cad;
          --scalar-color-green: #1a6b2c;
          --scalar-color-red: #b3261e;
          --scalar-color-yellow: #7a5300;
          --scalar-color-blue: #0b5cad;
          --scalar-color-orange: #9a4400;
          --scalar-color-purple: #6b3fa0;
        }
        """;

    public static void Configure(ScalarOptions options) => options
        .WithTitle("ComplianceHub API reference")
        .ForceLightMode()
        // The developer-tools toolbar (shown on localhost only) marks a header element as a region, which axe refuses.
        .HideDeveloperTools()
        .WithCustomCss(Contrast)
        .AddHeadContent(HeadScript);
}
