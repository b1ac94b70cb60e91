using System.Net;
using System.Text.Json;
using Fabric.Vip.Providers;

namespace Fabric.Vip.EquinixMetal;

/// <summary>Typed calls to the Equinix Metal endpoints the announcer needs. Legacy: the service shut down on
/// 2026-06-30; kept for existing installations and Talos configs that still carry <c>vip.equinixMetal</c>.</summary>
public sealed class EquinixMetalClient
{
    internal const string Provider = "equinix-metal";

    private readonly EquinixMetalOptions _options;
    private readonly ProviderApiCaller _api;
    private readonly string _base;

    /// <param name="http">Shared client, owned by the caller; the token is added per request.</param>
    /// <param name="options">Settings; <see cref="EquinixMetalOptions.Token"/> must already be resolved.</param>
    public EquinixMetalClient(HttpClient http, EquinixMetalOptions options, TimeProvider? time = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _base = options.BaseUrl.ToString().TrimEnd('/');
        var token = options.Token;
        _api = new ProviderApiCaller(Provider, http, token,
            headers => headers.TryAddWithoutValidation("X-Auth-Token", token),
            options.Retry, time, log);
    }

    /// <summary>This machine's device id from the metadata service (sent without the token).</summary>
    public async Task<string> GetOwnDeviceIdAsync(CancellationToken ct)
    {
        var text = await _api.GetAnonymousTextAsync(_options.MetadataUrl, ct).ConfigureAwait(false);
        try
        {
            if (JsonSerializer.Deserialize<EquinixMetadata>(text, ProviderJson.Options)?.Id is { Length: > 0 } id)
                return id;
        }
        catch (JsonException)
        {
            // Reported below together with the empty case.
        }
        throw _api.Fail($"the metadata service at {_options.MetadataUrl} returned no device id");
    }

    public Task<EquinixDevice> GetDeviceAsync(string deviceId, CancellationToken ct) =>
        _api.SendAsync<EquinixDevice>(HttpMethod.Get, Url($"/devices/{Escape(deviceId)}?include=project"), null, ct);

    public async Task<IReadOnlyList<EquinixIpReservation>> ListProjectIpsAsync(string projectId, CancellationToken ct) =>
        (await _api.SendAsync<EquinixIpList>(HttpMethod.Get, Url($"/projects/{Escape(projectId)}/ips"), null, ct).ConfigureAwait(false))
        .IpAddresses ?? [];

    public Task<EquinixIpAssignment> GetAssignmentAsync(string assignmentId, CancellationToken ct) =>
        _api.SendAsync<EquinixIpAssignment>(HttpMethod.Get, Url($"/ips/{Escape(assignmentId)}"), null, ct);

    /// <summary>Removes an assignment. One that is already gone counts as removed: another node may have
    /// cleaned it up between our list and this call.</summary>
    public async Task DeleteAssignmentAsync(string assignmentId, CancellationToken ct)
    {
        try
        {
            await _api.SendAsync(HttpMethod.Delete, Url($"/ips/{Escape(assignmentId)}"), null, ct).ConfigureAwait(false);
        }
        catch (ProviderApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Assigns the address to the device (synchronous: no action to poll).</summary>
    public Task<EquinixIpAssignment> AssignAsync(string deviceId, IPAddress address, CancellationToken ct) =>
        _api.SendAsync<EquinixIpAssignment>(HttpMethod.Post, Url($"/devices/{Escape(deviceId)}/ips"),
            new EquinixAssignRequest(address.ToString()), ct);

    private Uri Url(string pathAndQuery) => new(_base + pathAndQuery);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
