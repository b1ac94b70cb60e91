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
    private readonly TimeSpan timeout;
    private HttpClient? http;

    public FabricClient(ApiEndpoint endpoint, TimeSpan? timeout = null)
    {
        Endpoint = endpoint;
        this.timeout = timeout ?? TimeSpan.FromSeconds(30);
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

    /// <summary>Sends a machine config, given as the bytes of its file (see <see cref="ConfigFile"/>). Over
    /// <see cref="PlainHttp"/> and blocking: `fabric apply` is a whole process for one request, and HttpClient's
    /// setup and the asynchronous machinery were most of its own time.</summary>
    public ApplyResult Apply(ReadOnlyMemory<byte> config, CancellationToken ct)
    {
        var response = PlainHttp.Send(Endpoint, "POST", "v1/config", "application/yaml; charset=utf-8", config, timeout, ct);
        CliTiming.Mark("apply: answer received");
        if (response.Status is not (200 or 422) && !response.IsSuccess)
            throw new ApiErrorException(response.Status, ErrorMessage(response.BodyText) ?? $"HTTP {response.Status} {response.Reason}");
        return ApplyAnswer.Parse(response.Body);
    }

    public void Dispose() => http?.Dispose();

    /// <summary>Made on first use: apply does without it (see <see cref="PlainHttp"/>). Per-request deadlines instead
    /// of HttpClient.Timeout, which would also cut open watches.</summary>
    private HttpClient Http() =>
        http ??= new HttpClient { BaseAddress = Endpoint.BaseUri, Timeout = Timeout.InfiniteTimeSpan };

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
            return await Http().SendAsync(request, completion, limit.Token);
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
        throw new ApiErrorException((int)response.StatusCode, ErrorMessage(text) ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    /// <summary>The API's {"error": "..."}; null for anything else (a proxy, another server on the port), so the
    /// caller falls back to the status line.</summary>
    private static string? ErrorMessage(string text)
    {
        try
        {
            using var body = JsonDocument.Parse(text);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error", out var error)
                ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpRequestException e) => e.InnerException is SocketException s ? PlainHttp.Describe(s) : e.Message;
}

public sealed record ApplyResult(bool Applied, long? Generation, IReadOnlyList<string> Diagnostics);
