using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.ReliabilityTests.ScaleOut;

namespace ComplianceHub.ReliabilityTests.Faults;

/// <summary>
/// The load the fault tests put on a portal while they break things: writers updating people they each own through the API
/// (<c>PUT /personnel/{id}</c>, a new work city each time) and roster imports of a few thousand new people
/// (<c>POST /vendors/{id}/roster-imports</c>). It records every answer: what was acknowledged (2xx), what was refused with 503
/// (and whether each 503 carried Retry-After), and anything else — which the tests expect never to see.
/// </summary>
internal sealed class FaultLoad
{
    private readonly ConcurrentQueue<(Guid Person, string City)> acknowledged = new();
    private readonly ConcurrentDictionary<Guid, string> lastKnownCity = new();
    private readonly ConcurrentDictionary<Guid, string> unanswered = new();
    private readonly ConcurrentQueue<string> unexpected = new();
    private readonly ConcurrentQueue<ImportResult> imports = new();
    private int unavailable;
    private int unavailableWithoutRetryAfter;
    private int unknownOutcomes;
    private int conflicts;
    private int lostAnswers;

    /// <summary>The rows of each roster import.</summary>
    public const int ImportRows = 2000;

    /// <summary>Acknowledged updates: the person and the city the update set.</summary>
    public IReadOnlyCollection<(Guid Person, string City)> Acknowledged => acknowledged;

    public int AcknowledgedCount => acknowledged.Count;

    /// <summary>Each person's city as the writers last knew it (acknowledged, or read back after an answer that did not say).</summary>
    public IReadOnlyDictionary<Guid, string> LastKnownCity => lastKnownCity;

    /// <summary>The update each writer sent last and got no answer to (the portal went away): it may or may not be applied.</summary>
    public IReadOnlyDictionary<Guid, string> Unanswered => unanswered;

    /// <summary>Answers no test accepts: a 500, a 502, an unknown status, a refused body.</summary>
    public IReadOnlyCollection<string> Unexpected => unexpected;

    public IReadOnlyCollection<ImportResult> Imports => imports;

    public int Unavailable => unavailable;

    public int UnavailableWithoutRetryAfter => unavailableWithoutRetryAfter;

    public int UnknownOutcomes => unknownOutcomes;

    public int Conflicts => conflicts;

    /// <summary>Requests whose answer never came (the portal's connection closed, as on its shutdown).</summary>
    public int LostAnswers => lostAnswers;

    /// <summary>
    /// One writer: updates each of <paramref name="people"/> in turn until <paramref name="stop"/>; after any answer that is not
    /// an acknowledgement it reads the person again (retrying reads through an outage) before going on. Stops early when
    /// <paramref name="endOnLostAnswer"/> and an answer is lost (the portal is going away).
    /// </summary>
    public async Task WriteAsync(HttpClient api, int writer, IReadOnlyList<JsonNode> people, CancellationToken stop, bool endOnLostAnswer = false)
    {
        var current = people.Select(p => p.DeepClone()).ToList();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var index = n % current.Count;
            var person = current[index];
            var id = Guid.Parse(person["id"]!.GetValue<string>());
            var city = string.Create(CultureInfo.InvariantCulture, $"W{writer}N{n}");
            var body = ApiCalls.UpdateBody(person);
            body["workLocation"]!["city"] = city;
            HttpResponseMessage response;
            try
            {
                response = await api.PutAsync($"/api/v1/personnel/{id}", JsonContent(body), CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref lostAnswers);
                if (endOnLostAnswer)
                {
                    unanswered[id] = city;
                    return;
                }
                current[index] = await ReadBackAsync(api, id, stop);
                continue;
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        acknowledged.Enqueue((id, city));
                        lastKnownCity[id] = city;
                        current[index] = JsonNode.Parse(text)!["person"]!;
                        continue;
                    case HttpStatusCode.ServiceUnavailable:
                        CountUnavailable(response, text);
                        break;
                    case HttpStatusCode.Conflict:
                        Interlocked.Increment(ref conflicts); // an earlier answer that did not say was applied after all
                        break;
                    default:
                        unexpected.Enqueue($"PUT /personnel/{id}: {(int)response.StatusCode} {text}");
                        break;
                }
            }
            current[index] = await ReadBackAsync(api, id, stop);
        }
    }

    /// <summary>Roster imports one after the other until <paramref name="stop"/> or <paramref name="count"/> of them, each of new people.</summary>
    public async Task ImportAsync(HttpClient api, Guid vendorId, string prefix, int count, CancellationToken stop, int rows = ImportRows)
    {
        for (var k = 1; k <= count && !stop.IsCancellationRequested; k++)
        {
            var tag = string.Create(CultureInfo.InvariantCulture, $"{prefix}{k}-");
            var file = new StringBuilder("employeeId,fullName,email,employerType,citizenships,countryOfBirth,workCountry,workCity\n");
            for (var i = 1; i <= rows; i++)
            {
                file.Append(CultureInfo.InvariantCulture, $"{tag}{i},Imported Person {prefix} {k} {i},{tag.ToLowerInvariant()}{i}@initech.example,VendorEmployee,US,US,US,Austin\n");
            }
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(file.ToString()));
            part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var upload = new MultipartFormDataContent { { part, "file", $"{tag}roster.csv" } };
            try
            {
                using var response = await api.PostAsync($"/api/v1/vendors/{vendorId}/roster-imports", upload, CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var unknown = false;
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    unknown = CountUnavailable(response, text);
                }
                else if (!response.IsSuccessStatusCode)
                {
                    unexpected.Enqueue($"import {tag}: {(int)response.StatusCode} {text}");
                }
                imports.Enqueue(new ImportResult(tag, rows, response.StatusCode, unknown));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref lostAnswers);
                imports.Enqueue(new ImportResult(tag, rows, null, true));
                return;
            }
        }
    }

    /// <summary>Counts a 503 and checks it says when to try again; true when it says the outcome is unknown.</summary>
    private bool CountUnavailable(HttpResponseMessage response, string text)
    {
        Interlocked.Increment(ref unavailable);
        if (response.Headers.RetryAfter?.Delta is not { TotalSeconds: > 0 })
        {
            Interlocked.Increment(ref unavailableWithoutRetryAfter);
        }
        var unknown = JsonNode.Parse(text)?["outcomeUnknown"]?.GetValue<bool>() == true;
        if (unknown)
        {
            Interlocked.Increment(ref unknownOutcomes);
        }
        return unknown;
    }

    /// <summary>Reads the person, trying again (every 250 ms) while the database is away; records their city as now known.</summary>
    private async Task<JsonNode> ReadBackAsync(HttpClient api, Guid id, CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        while (true)
        {
            try
            {
                using var response = await api.GetAsync($"/api/v1/personnel/{id}", CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    var person = JsonNode.Parse(text)!;
                    lastKnownCity[id] = person["workLocation"]!["city"]!.GetValue<string>();
                    return person;
                }
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    CountUnavailable(response, text);
                }
                else
                {
                    unexpected.Enqueue($"GET /personnel/{id}: {(int)response.StatusCode} {text}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !limit.IsCancellationRequested)
            {
                // the portal is away too: read again
            }
            await Task.Delay(250, limit.Token);
        }
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}

/// <summary>One roster import's answer: its rows, its status (null when none came) and whether the answer said the outcome is unknown.</summary>
internal sealed record ImportResult(string Tag, int Rows, HttpStatusCode? Status, bool OutcomeUnknown);
