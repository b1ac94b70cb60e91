using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Fabric.Vip.Providers;

namespace Fabric.Vip.Hcloud;

/// <summary>Typed calls to the Hetzner Cloud API endpoints the announcer needs. Failures surface as
/// <see cref="ProviderApiException"/>; cancellation as <see cref="OperationCanceledException"/>.</summary>
public sealed class HcloudClient
{
    internal const string Provider = "hcloud";

    private readonly HcloudOptions _options;
    private readonly ProviderApiCaller _api;
    private readonly string _base;

    /// <param name="http">Shared client; the caller owns it. Authentication is added per request, so the
    /// same client may also talk to the metadata service without leaking the token there.</param>
    /// <param name="options">Settings; <see cref="HcloudOptions.Token"/> must already be resolved.</param>
    public HcloudClient(HttpClient http, HcloudOptions options, TimeProvider? time = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _base = options.BaseUrl.ToString().TrimEnd('/');
        var token = options.Token;
        _api = new ProviderApiCaller(Provider, http, token,
            headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", token),
            options.Retry, time, log);
    }

    /// <summary>All floating IPs of the project, page by page.</summary>
    public async IAsyncEnumerable<HcloudFloatingIp> ListFloatingIpsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        int? page = 1;
        while (page is { } current)
        {
            var list = await _api.SendAsync<HcloudFloatingIpList>(HttpMethod.Get,
                Url($"/floating_ips?page={current}&per_page={_options.PageSize}"), null, ct).ConfigureAwait(false);
            foreach (var ip in list.FloatingIps ?? [])
                yield return ip;
            page = NextPage(list.Meta, current);
        }
    }

    /// <summary>The floating IP that is (or, for ipv6, contains) the VIP; null when the project has none.</summary>
    public async Task<HcloudFloatingIp?> FindFloatingIpAsync(IPAddress vip, CancellationToken ct)
    {
        await foreach (var ip in ListFloatingIpsAsync(ct).ConfigureAwait(false))
        {
            if (ip.Contains(vip))
                return ip;
        }
        return null;
    }

    public async Task<HcloudAction> AssignFloatingIpAsync(long floatingIpId, long serverId, CancellationToken ct) =>
        (await _api.SendAsync<HcloudActionEnvelope>(HttpMethod.Post,
            Url($"/floating_ips/{floatingIpId}/actions/assign"), new HcloudAssignRequest(serverId), ct).ConfigureAwait(false)).Action;

    public async Task<HcloudAction> UnassignFloatingIpAsync(long floatingIpId, CancellationToken ct) =>
        (await _api.SendAsync<HcloudActionEnvelope>(HttpMethod.Post,
            Url($"/floating_ips/{floatingIpId}/actions/unassign"), null, ct).ConfigureAwait(false)).Action;

    public async Task<HcloudAction> GetActionAsync(long actionId, CancellationToken ct) =>
        (await _api.SendAsync<HcloudActionEnvelope>(HttpMethod.Get, Url($"/actions/{actionId}"), null, ct).ConfigureAwait(false)).Action;

    /// <summary>Replaces the server's alias IPs on a private network (the API has no add/remove, only set).</summary>
    public async Task<HcloudAction> ChangeAliasIpsAsync(long serverId, long networkId, IReadOnlyList<string> aliasIps, CancellationToken ct) =>
        (await _api.SendAsync<HcloudActionEnvelope>(HttpMethod.Post,
            Url($"/servers/{serverId}/actions/change_alias_ips"), new HcloudChangeAliasIpsRequest(networkId, aliasIps), ct).ConfigureAwait(false)).Action;

    /// <summary>All servers of the project, page by page (to find who holds an alias IP).</summary>
    public async IAsyncEnumerable<HcloudServer> ListServersAsync([EnumeratorCancellation] CancellationToken ct)
    {
        int? page = 1;
        while (page is { } current)
        {
            var list = await _api.SendAsync<HcloudServerList>(HttpMethod.Get,
                Url($"/servers?page={current}&per_page={_options.PageSize}"), null, ct).ConfigureAwait(false);
            foreach (var server in list.Servers ?? [])
                yield return server;
            page = NextPage(list.Meta, current);
        }
    }

    /// <summary>Polls the action until it leaves "running". Throws when it ends in "error" or is still
    /// running after <see cref="HcloudOptions.ActionTimeout"/>.</summary>
    public async Task<HcloudAction> WaitForActionAsync(HcloudAction action, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.ActionTimeout);
        try
        {
            while (action.Status == HcloudAction.Running)
            {
                await Task.Delay(_options.ActionPollInterval, deadline.Token).ConfigureAwait(false);
                action = await GetActionAsync(action.Id, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw _api.Fail($"action {action.Id} ({action.Command}) still running after {_options.ActionTimeout.TotalSeconds:0.#} s");
        }

        if (action.Status == HcloudAction.Success)
            return action;
        var error = action.Error is { } e
            ? string.Join(": ", new[] { e.Code, e.Message }.Where(s => !string.IsNullOrEmpty(s)))
            : $"status \"{action.Status}\"";
        throw _api.Fail($"action {action.Id} ({action.Command}) failed: {error}", code: action.Error?.Code);
    }

    /// <summary>This machine's server id from the metadata service (plain-text number). Sent without the
    /// token: the metadata service needs none and must not receive it.</summary>
    public async Task<long> GetOwnServerIdAsync(CancellationToken ct)
    {
        var text = await _api.GetAnonymousTextAsync(_options.MetadataUrl, ct).ConfigureAwait(false);
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            return id;
        throw _api.Fail($"the metadata service at {_options.MetadataUrl} returned \"{Clip(text)}\" instead of a server id");
    }

    private Uri Url(string pathAndQuery) => new(_base + pathAndQuery);

    /// <summary>Trusts next_page but refuses to go backwards, so a buggy response cannot loop forever.</summary>
    private static int? NextPage(HcloudMeta? meta, int current) =>
        meta?.Pagination?.NextPage is { } next && next > current ? next : null;

    private static string Clip(string s) => s.Length <= 40 ? s.Trim() : s[..40].Trim() + "…";
}
