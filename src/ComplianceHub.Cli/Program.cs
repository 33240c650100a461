using ComplianceHub.Cli;

// ComplianceHub command line. Every command reads configuration like the portal does
// (appsettings.json, appsettings.{Environment}.json, environment variables such as ConnectionStrings__ComplianceHub).
return await CliApp.RunAsync(args);
