using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ComplianceHub.ReliabilityTests.ScaleOut;

/// <summary>The API calls the scale-out tests make, as JSON nodes (the tests read back what they need, nothing more).</summary>
internal static class ApiCalls
{
    public static async Task<JsonNode> GetJsonAsync(this HttpClient api, string path, CancellationToken ct = default)
    {
        using var response = await api.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? JsonNode.Parse(body)!
            : throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(this HttpClient api, HttpMethod method, string path, JsonNode body,
        CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await api.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : null);
    }

    /// <summary>Every item of a paged list (<c>{items, page, pageSize, total}</c>).</summary>
    public static async Task<List<JsonNode>> ListAsync(this HttpClient api, string path, CancellationToken ct = default)
    {
        var all = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var list = await api.GetJsonAsync($"{path}{separator}page={page}&pageSize=100", ct);
            var items = list["items"]!.AsArray();
            all.AddRange(items.Select(i => i!.DeepClone()));
            if (items.Count == 0 || all.Count >= list["total"]!.GetValue<int>())
            {
                return all;
            }
        }
    }

    /// <summary>A person as <c>PUT /personnel/{id}</c> takes them: the view read, less what the update does not take.</summary>
    public static JsonObject UpdateBody(JsonNode person)
    {
        var body = person.DeepClone().AsObject();
        foreach (var readOnly in new[] { "id", "vendorId", "employmentStatus", "terminatedOn", "locationAttestedOn", "screeningStatus" })
        {
            body.Remove(readOnly);
        }
        return body;
    }

    /// <summary>A new person for <c>POST /vendors/{id}/personnel</c>, like <paramref name="template"/> under another name and id.</summary>
    public static JsonObject NewPersonBody(JsonNode template, string employeeId, string fullName, string email)
    {
        var body = UpdateBody(template);
        body.Remove("version");
        body["employeeId"] = employeeId;
        body["fullName"] = fullName;
        body["email"] = email;
        return body;
    }
}
