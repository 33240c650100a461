using ComplianceHub.Core.Domain.Findings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ComplianceHub.Web.Api;

/// <summary>
/// What every operation of <c>/openapi/v1.json</c> says, derived centrally from endpoint metadata so that an endpoint mapped
/// later gets it without edits (ADR 0036): its security (bearer token or personal access token; <c>security: []</c> when
/// anonymous), the problems it can answer with as named schemas (<c>Problem</c>, <c>ValidationProblem</c>,
/// <c>PolicyRefusal</c>, each with its <c>traceId</c>), the rate-limit headers, an upload's multipart body
/// (<see cref="FileUploads"/>) and the input bounds of <see cref="ApiBounds"/>.
/// </summary>
internal static class OpenApiConventions
{
    public const string BearerScheme = "bearerToken";
    public const string TokenScheme = "personalAccessToken";
    private const string ProblemJson = "application/problem+json";

    public static OpenApiOptions AddComplianceHubConventions(this OpenApiOptions options) => options
        .AddSchemaTransformer(OpenApiExamples.TransformAsync)
        .AddOperationTransformer(DescribeOperationAsync)
        .AddDocumentTransformer(DescribeDocumentAsync);

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var upload = metadata.OfType<FileUploadMetadata>().LastOrDefault();
        var jsonBody = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        var input = jsonBody || upload is not null || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query);
        var document = context.Document;

        operation.Security = anonymous ? [] : [Requirement(document, BearerScheme), Requirement(document, TokenScheme)];
        if (upload is not null)
        {
            operation.RequestBody = UploadBody(upload);
        }

        operation.Responses ??= [];
        var statuses = operation.Responses.Keys.Where(k => k.Length == 3 && k[0] is '4' or '5').Select(int.Parse).ToHashSet();
        statuses.Add(StatusCodes.Status429TooManyRequests); // every /api request counts against the caller's limit (RateLimits)
        statuses.Add(StatusCodes.Status503ServiceUnavailable); // every one reads the database, which may be restarting (ADR 0042)
        if (input)
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }
        if (!anonymous)
        {
            // No token or an expired one; a principal that is no actor, an auditor's write or a token's scope: 403.
            statuses.Add(StatusCodes.Status401Unauthorized);
            statuses.Add(StatusCodes.Status403Forbidden);
        }
        if (description.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
        {
            statuses.Add(StatusCodes.Status404NotFound); // missing, or another vendor's: the same answer
        }
        if (upload is not null)
        {
            statuses.Add(StatusCodes.Status415UnsupportedMediaType); // a JSON body of another type is a 400 (JsonBindingProblems)
        }
        if (metadata.OfType<Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute>().Any())
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
        }
        // An authenticated write takes an Idempotency-Key (ADR 0041): 409 while a request with the key runs (or when its change was
        // applied but its response is not kept), 422 when the key was used for a different request.
        var idempotent = !anonymous && IdempotencyKeys.IsWrite(description.HttpMethod ?? "");
        var refusesByPolicy = statuses.Contains(StatusCodes.Status422UnprocessableEntity);
        var conflicts = statuses.Contains(StatusCodes.Status409Conflict);
        if (idempotent)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKeys.Header, In = ParameterLocation.Header, Required = false,
                Description = "Optional (IETF draft \"The Idempotency-Key HTTP Header Field\"): a unique value of 1 to 255 characters for this request, " +
                              "e.g. a UUID. A retry with the same key and the same request is answered with the first response " +
                              "(Idempotency-Replayed: true) and is never applied twice; keys are kept per caller for 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeys.MaxLength },
            });
            statuses.Add(StatusCodes.Status409Conflict);
            statuses.Add(StatusCodes.Status422UnprocessableEntity);
        }
        foreach (var status in statuses.Order())
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var schema = status switch
            {
                StatusCodes.Status400BadRequest when upload is null => "ValidationProblem",
                StatusCodes.Status422UnprocessableEntity when refusesByPolicy => "PolicyRefusal",
                _ => "Problem",
            };
            var described = Describe(status, upload is not null);
            operation.Responses[key] = new OpenApiResponse
            {
                Description = !idempotent ? described : status switch
                {
                    StatusCodes.Status409Conflict => (conflicts ? described.TrimEnd('.') + "; or " : "") + IdempotencyKeys.ConflictDescription,
                    StatusCodes.Status422UnprocessableEntity => (refusesByPolicy ? described.TrimEnd('.') + "; or " : "") + IdempotencyKeys.MismatchDescription,
                    _ => described,
                },
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(schema, document) } },
                Headers = status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable ? RetryAfter() : RateLimitHeaders(),
            };
        }
        foreach (var (_, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
        {
            if (response is OpenApiResponse concrete)
            {
                concrete.Headers = RateLimitHeaders();
            }
        }
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && parameter.Schema is OpenApiSchema schema)
            {
                Bound(parameter.Name ?? "", schema);
            }
        }
        return Task.CompletedTask;
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "ComplianceHub API";
        document.Info.Version = "v1";
        document.Info.Description = "Which vendor people can touch which defense cloud systems, from where, under whose supervision. " +
                                    "Authenticate with POST /api/v1/auth/token and send Authorization: Bearer <accessToken> (or a personal access token, " +
                                    "chp_…, the same way); errors are RFC 9457 problem details with a traceId. Every response says the caller's rate limit " +
                                    "(RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset); a 429 says when to try again (Retry-After).";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer",
            Description = "An access token from POST /api/v1/auth/token (e-mail and password) or POST /api/v1/auth/smart-card/token (CAC/PIV). " +
                          "It carries the account's role and vendor scope and expires with the role's session span.",
        };
        document.Components.SecuritySchemes[TokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "chp_…",
            Description = "A personal access token an administrator issued (POST /api/v1/api-tokens), sent as Authorization: Bearer chp_…: " +
                          "it acts as its owner account, limited to its scope, until it expires or is revoked.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.Remove("ProblemDetails");
        document.Components.Schemas.Remove("HttpValidationProblemDetails");
        foreach (var (name, schema) in ProblemSchemas(document))
        {
            document.Components.Schemas[name] = schema;
        }
        // What responses guarantee: a page of a list holds at most the largest page size an API list reads (PageRequest).
        foreach (var (_, page) in document.Components.Schemas.Where(s => s.Key.StartsWith("PagedResultOf", StringComparison.Ordinal)))
        {
            if (page.Properties?.TryGetValue("items", out var items) == true && items is OpenApiSchema list)
            {
                list.MaxItems = Core.Common.PageRequest.MaxPageSize;
            }
        }
        // The bounds of request bodies: every text is held to ApiBounds.MaxText by the body reader, every listed array to its command's limit.
        var visited = new HashSet<OpenApiSchema>();
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true && json.Schema is { } body)
            {
                BoundBody(body, document, visited);
            }
        }
        return Task.CompletedTask;
    }

    private static void BoundBody(IOpenApiSchema schema, OpenApiDocument document, HashSet<OpenApiSchema> visited)
    {
        var target = schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id
            && document.Components?.Schemas?.TryGetValue(id, out var found) == true ? found : schema;
        if (target is not OpenApiSchema concrete || !visited.Add(concrete))
        {
            return;
        }
        if (IsText(concrete))
        {
            concrete.MaxLength ??= ApiBounds.MaxText;
        }
        foreach (var (name, property) in concrete.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (property is OpenApiSchema array && ApiBounds.Arrays.TryGetValue(name, out var max) && array.Type?.HasFlag(JsonSchemaType.Array) == true)
            {
                array.MaxItems = max;
            }
            BoundBody(property, document, visited);
        }
        foreach (var child in new[] { concrete.Items }.Concat(concrete.AllOf ?? []).Concat(concrete.AnyOf ?? []).Concat(concrete.OneOf ?? []))
        {
            if (child is not null)
            {
                BoundBody(child, document, visited);
            }
        }
    }

    /// <summary>A query parameter's bounds from <see cref="ApiBounds"/>: integers by name, text to <see cref="ApiBounds.MaxText"/>.</summary>
    private static void Bound(string name, OpenApiSchema schema)
    {
        if (schema.Type?.HasFlag(JsonSchemaType.Integer) == true && ApiBounds.Integers.TryGetValue(name, out var bounds))
        {
            schema.Minimum = bounds.Minimum.ToString(System.Globalization.CultureInfo.InvariantCulture);
            schema.Maximum = bounds.Maximum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (IsText(schema))
        {
            schema.MaxLength = ApiBounds.MaxText;
        }
    }

    /// <summary>Free text: a string without a format (a day, an id) or a list of names.</summary>
    private static bool IsText(OpenApiSchema schema) =>
        schema.Type?.HasFlag(JsonSchemaType.String) == true && schema.Format is null && schema.Enum is not { Count: > 0 };

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument? document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static OpenApiRequestBody UploadBody(FileUploadMetadata upload)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            [upload.FilePart] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = upload.Description },
        };
        foreach (var field in upload.Fields)
        {
            properties[field.Name] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = field.Format, Description = field.Description,
                MaxLength = field.Format is null ? ApiBounds.MaxText : null,
            };
        }
        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object, Properties = properties,
                        Required = new HashSet<string>(upload.Fields.Where(f => f.Required).Select(f => f.Name).Prepend(upload.FilePart)),
                    },
                },
            },
        };
    }

    private static string Describe(int status, bool upload) => status switch
    {
        StatusCodes.Status400BadRequest => upload
            ? "The file has errors (nothing was written): rows, errors and violations say which row and field."
            : "The input is not valid: errors names each field and what is wrong with it.",
        StatusCodes.Status401Unauthorized => "No valid token: none, expired, revoked, or its session ended.",
        StatusCodes.Status403Forbidden => "The caller's role or token scope may not do this.",
        StatusCodes.Status404NotFound => "Not found, or outside the caller's vendor (the same answer).",
        StatusCodes.Status409Conflict => "Conflict: the version sent is stale, or the state does not allow it.",
        StatusCodes.Status413PayloadTooLarge => "The upload is larger than the limit.",
        StatusCodes.Status415UnsupportedMediaType => "Not multipart/form-data with a file part of a known type.",
        StatusCodes.Status422UnprocessableEntity => "Refused by the policy: violations says which rules and why (refused, per item, for a bulk action); nothing was written.",
        StatusCodes.Status429TooManyRequests => "Too many requests: wait Retry-After seconds.",
        StatusCodes.Status503ServiceUnavailable => "The database is not reachable right now (a restart, a failover): wait Retry-After seconds. " +
            "outcomeUnknown false: nothing was changed; true: the change may or may not have been saved, so check before sending it again.",
        _ => "A problem.",
    };

    private static Dictionary<string, IOpenApiHeader> RateLimitHeaders() => new()
    {
        ["RateLimit-Limit"] = Header("The requests the caller may send in the current window (a minute)."),
        ["RateLimit-Remaining"] = Header("The requests left in the current window."),
        ["RateLimit-Reset"] = Header("Seconds until the current window ends."),
    };

    private static Dictionary<string, IOpenApiHeader> RetryAfter() => new()
    {
        ["Retry-After"] = Header("Seconds to wait before trying again."),
    };

    private static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" } };

    /// <summary>The problem bodies the API answers with (ApiResults, the problem writers), as named schemas.</summary>
    private static IEnumerable<(string Name, OpenApiSchema Schema)> ProblemSchemas(OpenApiDocument document)
    {
        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
        static Dictionary<string, IOpenApiSchema> Problem() => new()
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong with this request, in words."),
            ["instance"] = Text("The request the problem is about."),
            ["traceId"] = Text("The request's trace id: quote it to the administrator."),
        };
        static OpenApiSchema Object(string description, Dictionary<string, IOpenApiSchema> properties, params string[] required) => new()
        {
            Type = JsonSchemaType.Object, Description = description, Properties = properties, Required = new HashSet<string>(required),
        };

        yield return ("Problem", Object("An RFC 9457 problem.", Problem(), "title", "status", "traceId"));
        var validation = Problem();
        validation["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object, Description = "Each invalid field (camelCase, with its path: items[1].workLocation) and what is wrong with it.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        yield return ("ValidationProblem", Object("A 400: the input is not valid.", validation, "title", "status", "traceId", "errors"));
        yield return ("Violation", Object("One rule the policy refused with.", new Dictionary<string, IOpenApiSchema>
        {
            ["ruleId"] = Text("The rule's id (R-…)."),
            ["severity"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Description = "How serious the violation is.",
                Enum = Enum.GetNames<Severity>().Select(n => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(n)!).ToList(),
            },
            ["message"] = Text("Why the rule refused."),
            ["facts"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Description = "The facts the rule used, by name.", AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            ["citation"] = Text("The rule's source (the regulation or policy)."),
            ["title"] = Text("The rule in words."),
            ["sentence"] = Text("The refusal in one sentence."),
        }, "ruleId", "severity", "message", "facts", "citation", "title", "sentence"));
        yield return ("RefusedItem", Object("One refused item of a bulk action.", new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            ["label"] = Text("What the item is, in words."),
            ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "Why, when no rule says it." },
            ["violations"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference("Violation", document) },
        }, "id", "label", "violations"));
        var refusal = Problem();
        refusal["violations"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference("Violation", document) };
        refusal["refused"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Description = "A bulk action's refused items; nothing of it was applied.", Items = new OpenApiSchemaReference("RefusedItem", document),
        };
        yield return ("PolicyRefusal", Object("A 422: refused by the policy; nothing was written.", refusal, "title", "status", "traceId", "violations"));
    }
}
