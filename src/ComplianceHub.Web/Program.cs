using ComplianceHub.Web.Hosting;
using Serilog;

// Composition root of the portal. Migrations are NOT applied here: they are an explicit deploy step
// (ComplianceHub.Cli migrate, run by scripts/run.sh and the compose "migrate" service).
// A console logger for start-up failures; the configured logger (console and/or JSON file) is built per host.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddComplianceHubPortal();
    var app = builder.Build();
    app.UseComplianceHubPortal();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "ComplianceHub stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
