using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Security;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using Scalar.AspNetCore;
using Serilog;

namespace ComplianceHub.Web.Hosting;

/// <summary>Service registration and the request pipeline of the portal, in the order they apply.</summary>
public static class PortalHosting
{
    public static WebApplicationBuilder AddComplianceHubPortal(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Operational telemetry only: never personal data (citizenships, locations, names); that belongs in the audit trail.
        services.AddSerilog((sp, cfg) => cfg
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(sp)
            .Enrich.FromLogContext(), preserveStaticLogger: true);

        // Outside Development the keys must be configured files (issue 19): the portal does not start without them.
        if (!builder.Environment.IsDevelopment() && KeyFiles.Resolve(builder.Configuration, development: false) is null)
        {
            throw new InvalidOperationException(KeyFiles.NotConfiguredMessage);
        }
        services.AddComplianceHubCore(builder.Configuration, builder.Environment.IsDevelopment());
        // Traces and metrics over OTLP, only when a collector is configured (ADR 0043).
        builder.AddComplianceHubTelemetry();

        services.AddIdentity<ApplicationUser, ApplicationRole>(IdentitySetup.Configure)
            .AddComplianceHubStores()
            .AddDefaultTokenProviders();
        // Every request checks the server-side session, account and security stamp (SessionValidationMiddleware); Identity's own
        // stamp check still refreshes the cookie's claims each minute, keeping the session it names.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = ctx =>
            {
                var keep = ctx.CurrentPrincipal?.Claims.Where(c => c.Type is ComplianceClaimTypes.SessionId or ComplianceClaimTypes.AuthenticationMethod or "amr").ToList() ?? [];
                if (ctx.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                {
                    foreach (var claim in keep.Where(c => !identity.HasClaim(c.Type, c.Value)))
                    {
                        identity.AddClaim(new System.Security.Claims.Claim(claim.Type, claim.Value));
                    }
                }
                return Task.CompletedTask;
            };
        });
        // A year (the common floor for HSTS preload lists and DISA's guidance); subdomains are the deployment's to decide.
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true; // ASVS 5.0 V3.4.1 at level 2: no plain-HTTP sibling may set or read a cookie for it
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "ComplianceHub.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Sliding: each request renews the ticket for its own span, which sign-in sets per role.
            o.ExpireTimeSpan = SessionPolicy.DefaultIdleTimeout;
            o.SlidingExpiration = true;
            o.Events.OnSigningIn = ctx =>
            {
                var role = Actor.FromPrincipal(ctx.Principal)?.Role;
                ctx.Properties.ExpiresUtc = ctx.Properties.IssuedUtc!.Value + SessionPolicy.IdleTimeoutFor(role);
                return Task.CompletedTask;
            };
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
        });
        // API callers send a bearer token (POST /api/v1/auth/token); the portal uses its cookie. One policy scheme picks
        // the handler per request, so every endpoint and policy works with either.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PortalScheme;
                o.DefaultAuthenticateScheme = PortalScheme;
                o.DefaultChallengeScheme = PortalScheme;
                o.DefaultForbidScheme = PortalScheme;
            })
            .AddPolicyScheme(PortalScheme, "Cookie, bearer token or personal access token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer " + ApiToken.Prefix, StringComparison.Ordinal)
                    ? Api.ApiTokenAuthenticationHandler.SchemeName
                    : header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? Api.AuthTokenEndpoints.BearerScheme
                        : IdentityConstants.ApplicationScheme)
            .AddBearerToken(Api.AuthTokenEndpoints.BearerScheme)
            .AddScheme<AuthenticationSchemeOptions, Api.ApiTokenAuthenticationHandler>(Api.ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddScoped<SignInService>();
        services.AddOptions<SmartCardOptions>().Bind(builder.Configuration.GetSection(SmartCardOptions.Section));
        services.AddOptions<ReverseProxyOptions>().Bind(builder.Configuration.GetSection(ReverseProxyOptions.Section));
        services.AddSingleton<SmartCardValidator>();
        // The smart card listener asks for a certificate at the handshake and takes any: the portal checks it against its own
        // trusted roots (never the machine's) and says why it refuses one, which a failed handshake could not.
        // Nor does the handshake check revocation (a second, unbounded online check before any rate limit): the portal does.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
        {
            https.AllowAnyClientCertificate();
            https.CheckCertificateRevocation = false;
        }));
        services.AddScoped<ConsentBanner>();
        services.AddSingleton<SecondFactorChallenge>();
        // IA-2(1)/(2): a second factor for every account, on by default outside Development (the demo stays one password).
        services.AddOptions<SignInPolicyOptions>()
            .Configure(o => o.RequireSecondFactor = !builder.Environment.IsDevelopment())
            .Bind(builder.Configuration.GetSection(SignInPolicyOptions.Section));

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Administrator, p => p.RequireRole(Roles.Administrator))
            .AddPolicy(Policies.ContractingOfficer, p => p.RequireRole(Roles.ContractingOfficer))
            .AddPolicy(Policies.VendorRepresentative, p => p.RequireRole(Roles.VendorRepresentative)
                .RequireClaim(ComplianceClaimTypes.VendorId))
            .AddPolicy(Policies.Auditor, p => p.RequireRole(Roles.Auditor))
            .AddPolicy(Policies.ReadAllVendors, p => p.RequireRole(Roles.Administrator, Roles.ContractingOfficer, Roles.Auditor))
            .AddPolicy(Policies.ReadRosters, p => p.RequireAssertion(ctx =>
                ctx.User.IsInRole(Roles.Administrator) || ctx.User.IsInRole(Roles.ContractingOfficer) || ctx.User.IsInRole(Roles.Auditor)
                || (ctx.User.IsInRole(Roles.VendorRepresentative) && ctx.User.HasClaim(c => c.Type == ComplianceClaimTypes.VendorId))))
            .AddPolicy(Policies.ContributionImporters, p => p.RequireAssertion(ctx => ctx.User.IsInRole(Roles.ContractingOfficer) || ctx.User.IsInRole(Roles.Auditor)
                || (ctx.User.IsInRole(Roles.VendorRepresentative) && ctx.User.HasClaim(c => c.Type == ComplianceClaimTypes.VendorId))))
            // Everything requires a signed-in user unless it says [AllowAnonymous] (banner, sign-in, health, assets).
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<CurrentActor>();
        services.AddScoped<ComplianceHub.Web.Components.Shared.ReaderClock>();
        services.AddHostedService<ReevaluationScheduler>();
        services.AddHostedService<ReevaluationWorker>();
        services.AddHostedService<StateVerificationScheduler>();
        services.AddScoped<AttestationDigestJob>();
        services.AddHostedService<AttestationDigestScheduler>();
        services.AddHostedService<AccessReviewScheduler>();
        services.AddHostedService<CheckpointScheduler>();
        services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection(RetentionOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddHostedService<RetentionScheduler>();
        services.AddHostedService<IdempotencyPurgeService>();
        services.AddHostedService<GeolocationRefresher>();
        // The audit trail's copy outside the database (AU-4(1), ADR 0039): off unless AuditOffload:Syslog:Enabled; bad settings stop the start.
        services.AddOptions<AuditOffloadOptions>().Bind(builder.Configuration.GetSection(AuditOffloadOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuditOffloadOptions>, AuditOffloadOptionsValidator>();
        services.AddSingleton<AuditOffloadStatus>();
        services.AddHostedService<AuditOffloadService>();
        // SIGTERM drains: requests in flight get this long to finish (then their connections are cut, and a change not yet
        // committed rolls back whole); open circuits are told first (ShutdownNotice). ADR 0042.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(
            builder.Configuration.GetValue(ShutdownTimeoutKey, DefaultShutdownTimeoutSeconds)));
        services.AddSingleton<ShutdownNotice>();
        // The cookie's sliding expiry does not see a live circuit, so the circuit tracks its own activity.
        services.AddScoped<CircuitActivity>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, ActivityCircuitHandler>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);

        services.AddPortalRateLimits(builder.Configuration);
        var health = services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<RetentionHealthCheck>("retention");
        if (builder.Configuration.GetValue<bool>($"{AuditOffloadOptions.Section}:Enabled"))
        {
            health.AddCheck<AuditOffloadHealthCheck>("audit-offload");
        }
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiStatusProblems.AddTraceId);
        services.AddExceptionHandler<ApiExceptionHandler>();
        // API.md: camelCase JSON, enums as their names, dates as YYYY-MM-DD (DateOnly), instants ISO 8601.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new Api.NulFreeStrings());
            // A number is a JSON number, never a string of digits: the document types integers as integers (ADR 0036).
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // see JsonBindingProblems
        // The conventions every operation gets from its metadata: security, problems, bounds, rate-limit headers, uploads (ADR 0036);
        // deprecated addresses marked (ADR 0037).
        services.AddOpenApi("v1", o => o.AddComplianceHubConventions().AddOperationTransformer(ApiDeprecation.MarkDeprecatedAsync));
        return builder;
    }

    public static WebApplication UseComplianceHubPortal(this WebApplication app)
    {
        // In every environment (run.sh serves Development): an API caller gets a problem without the exception
        // (ApiExceptionHandler), a page the portal's error page — never the developer exception page, which shows the
        // stack trace and echoes the request's headers, bearer token included.
        // Whenever the portal is served over HTTPS, in every environment: every cookie a __Host- cookie, before anything reads
        // one — and before the error and status pages, which re-run the rest of the pipeline — and HSTS (sent only on HTTPS,
        // never to localhost).
        // First of all: the client's address and scheme, from a trusted proxy's forwarded headers only.
        app.UseMiddleware<TrustedProxyHeadersMiddleware>();
        app.UseMiddleware<HostCookiesMiddleware>();
        // Where each request comes from, for every audit event it causes — a circuit's changes too, which run within its
        // WebSocket request (Core.Auditing.RequestOrigin).
        app.Use(async (http, next) =>
        {
            using var origin = RequestOrigin.Begin(RequestOrigin.Of(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()));
            await next(http);
        });
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseHsts();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseSerilogRequestLogging(o =>
        {
            // Path only (ids are not personal data); the query string and user names are never logged.
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        });
        app.UseComplianceHubTelemetry();

        app.UseApiStatusProblems();
        app.UseApiBindingProblems();
        app.UseQueryProblems();
        app.UseAuthentication();
        // Before the session check, which reads the database: a burst is refused before it costs a query.
        app.UseRateLimiter();
        app.UseRateLimitHeaders();
        app.UseMiddleware<SessionValidationMiddleware>();
        app.UseApiWriteGuards();
        // After the caller is known and the write allowed, before the endpoint: the Idempotency-Key of an API write (ADR 0041).
        app.UseIdempotencyKeys();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthResponse.WriteAsync,
        }).AllowAnonymous();
        // The document holds no data: anyone may read it (client generators fetch it without credentials).
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/scalar", ApiReferencePage.Configure);
        app.MapAccountEndpoints();
        app.MapSmartCardEndpoints();
        app.MapAccountExport();
        app.MapApiV1();
        app.MapBenchHeapEndpoint();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>The setting of how long a stopping portal lets requests in flight finish, in seconds.</summary>
    public const string ShutdownTimeoutKey = "Hosting:ShutdownTimeoutSeconds";

    /// <summary>30 seconds unless set: longer than any single change, shorter than a typical orchestrator's kill grace (e.g. systemd's 90 s).</summary>
    public const int DefaultShutdownTimeoutSeconds = 30;

    private const string PortalScheme = "ComplianceHub";

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/openapi"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
