using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Fabric.Node.Api;

namespace Fabric.Node.Cli;

/// <summary>The CLI's side of the node API. Failures surface as <see cref="ApiErrorException"/> or
/// <see cref="AgentUnreachableException"/> so commands can map them to exit codes in one place.</summary>
public sealed class FabricClient : IDisposable
{
    private readonly HttpClient http;
    private readonly TimeSpan timeout;

    public FabricClient(ApiEndpoint endpoint, TimeSpan? timeout = null)
    {
        Endpoint = endpoint;
        this.timeout = timeout ?? TimeSpan.FromSeconds(30);
        // Per-request deadlines instead of HttpClient.Timeout, which would also cut open watches.
        http = new HttpClient { BaseAddress = endpoint.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
    }

    public ApiEndpoint Endpoint { get; }

    public async Task<string> NodeNameAsync(CancellationToken ct)
    {
        using var body = JsonDocument.Parse(await SendForTextAsync(HttpMethod.Get, "v1/health", null, ct));
        return body.RootElement.GetProperty("node").GetString() ?? "";
    }

    /// <summary>The JSON array exactly as the agent sent it.</summary>
    public Task<string> ListRawAsync(string type, string? id, string? ns, CancellationToken ct) =>
        SendForTextAsync(HttpMethod.Get, PathOf("v1/resources", type, id, ns), null, ct);

    /// <summary>Each NDJSON line of a watch, as sent. Ends with an exception when the agent ends the watch.</summary>
    public async IAsyncEnumerable<string> WatchAsync(string type, string? id, string? ns, [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PathOf("v1/watch", type, id, ns));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct, deadline: false);
        await ThrowIfErrorAsync(response, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct);
            }
            catch (IOException e) when (!ct.IsCancellationRequested)
            {
                throw new AgentUnreachableException(Endpoint, $"the watch was cut: {e.Message}");
            }
            if (line is null) throw new ApiErrorException(0, "the agent closed the watch");
            if (line.Length == 0) continue;
            using (var doc = JsonDocument.Parse(line))
            {
                if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                    throw new ApiErrorException(0, $"watch ended: {error.GetString()}");
            }
            yield return line;
        }
    }

    public async Task<ApplyResult> ApplyAsync(string yaml, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/config")
        {
            Content = new StringContent(yaml, Encoding.UTF8, new MediaTypeHeaderValue("application/yaml")),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct, deadline: true);
        if ((int)response.StatusCode is not (200 or 422)) await ThrowIfErrorAsync(response, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        using var body = JsonDocument.Parse(text);
        var root = body.RootElement;
        return new ApplyResult(
            root.GetProperty("applied").GetBoolean(),
            root.TryGetProperty("generation", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetInt64() : null,
            root.TryGetProperty("diagnostics", out var d) ? d.EnumerateArray().Select(x => x.GetString() ?? "").ToArray() : []);
    }

    public void Dispose() => http.Dispose();

    internal static string PathOf(string prefix, string type, string? id, string? ns)
    {
        var path = $"{prefix}/{Uri.EscapeDataString(type)}";
        // Each id segment is escaped on its own so the slashes inside ids stay path separators the catch-all route keeps.
        if (!string.IsNullOrEmpty(id)) path += "/" + string.Join('/', id.Split('/').Select(Uri.EscapeDataString));
        if (!string.IsNullOrEmpty(ns)) path += "?namespace=" + Uri.EscapeDataString(ns);
        return path;
    }

    private async Task<string> SendForTextAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct, deadline: true);
        await ThrowIfErrorAsync(response, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct, bool deadline)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (deadline) limit.CancelAfter(timeout);
        try
        {
            return await http.SendAsync(request, completion, limit.Token);
        }
        catch (HttpRequestException e)
        {
            throw new AgentUnreachableException(Endpoint, Describe(e));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AgentUnreachableException(Endpoint, $"no answer within {timeout.TotalSeconds:0.#}s");
        }
    }

    private static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(ct);
        string? message = null;
        try
        {
            using var body = JsonDocument.Parse(text);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error", out var error))
                message = error.GetString();
        }
        catch (JsonException)
        {
            // Not the API's error shape (a proxy, another server on the port): fall back to the status line.
        }
        throw new ApiErrorException((int)response.StatusCode, message ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    private static string Describe(HttpRequestException e) => e.InnerException is SocketException s
        ? s.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
            SocketError.TimedOut => "timed out",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to host",
            SocketError.ConnectionReset => "connection reset",
            _ => s.Message,
        }
        : e.Message;
}

public sealed record ApplyResult(bool Applied, long? Generation, IReadOnlyList<string> Diagnostics);
