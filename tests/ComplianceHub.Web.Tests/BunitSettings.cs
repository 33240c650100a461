using System.Runtime.CompilerServices;

namespace ComplianceHub.Web.Tests;

/// <summary>
/// bUnit waits one second by default for a render to satisfy <c>WaitForAssertion</c>/<c>WaitForState</c>; on a busy 2-core
/// machine (the suite's other projects, a build) a render can take longer, and a test failed that was right. The wait ends
/// as soon as the assertion holds, so a longer limit costs nothing when the machine is idle.
/// </summary>
internal static class BunitSettings
{
    [ModuleInitializer]
    internal static void WaitLongEnoughForABusyMachine() => Bunit.BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(30);
}
