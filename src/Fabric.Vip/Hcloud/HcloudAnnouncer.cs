using System.Net;
using Fabric.Vip.Providers;

namespace Fabric.Vip.Hcloud;

/// <summary>Announces a VIP by pointing a Hetzner Cloud floating IP at this server, or, with
/// <see cref="HcloudOptions.NetworkId"/> set, by making it an alias IP of this server on a private network.
/// Every operation first reads the current holder, so announce and refresh are idempotent and cost one
/// read when nothing has to change.</summary>
public sealed class HcloudAnnouncer : IVipAnnouncer
{
    private readonly HcloudOptions _options;
    private readonly HcloudClient _client;
    private readonly HttpClient? _ownedHttp;
    private readonly string? _token;
    private readonly Action<string>? _log;
    private long? _serverId;

    /// <param name="options">Settings; a missing token is taken from <c>HCLOUD_TOKEN</c> (via <paramref name="getEnv"/>).</param>
    /// <param name="http">HTTP client to use (not disposed here); null creates and owns one.</param>
    /// <param name="log">Receives retry and takeover notes; the texts never contain the token.</param>
    public HcloudAnnouncer(
        HcloudOptions options,
        HttpClient? http = null,
        Func<string, string?>? getEnv = null,
        TimeProvider? time = null,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Validate(Name);
        _token = options.ResolveToken(getEnv);
        _options = options with { Token = _token };
        _serverId = options.ServerId;
        _log = log;
        if (http is null)
            http = _ownedHttp = ProviderHttp.Create();
        _client = new HcloudClient(http, _options, time, log);
    }

    public string Name => "hcloud";

    private bool AliasMode => _options.NetworkId is not null;

    public Task AnnounceAsync(VipAnnouncement vip, CancellationToken ct) =>
        Guard(vip, "announce", () => AliasMode ? EnsureAliasAsync(vip.Ip, ct) : EnsureFloatingAsync(vip.Ip, ct));

    /// <summary>Same as announce: the check is a single list call, and if someone moved the IP away
    /// (an operator, a confused peer) the owner takes it back.</summary>
    public Task RefreshAsync(VipAnnouncement vip, CancellationToken ct) =>
        Guard(vip, "refresh", () => AliasMode ? EnsureAliasAsync(vip.Ip, ct) : EnsureFloatingAsync(vip.Ip, ct));

    /// <summary>Does nothing unless <see cref="HcloudOptions.UnassignOnWithdraw"/> is set. Assigning a floating
    /// IP moves it from its old server in one step, so the next owner's announce is enough; unassigning here
    /// would only add a window in which nobody receives the traffic, and when the lease was lost the new owner
    /// may already hold the IP. With the option set, the IP is released only if it is still ours.</summary>
    public Task WithdrawAsync(VipAnnouncement vip, CancellationToken ct) =>
        !_options.UnassignOnWithdraw
            ? Task.CompletedTask
            : Guard(vip, "withdraw", () => AliasMode ? ReleaseAliasAsync(vip.Ip, ct) : ReleaseFloatingAsync(vip.Ip, ct));

    private async Task EnsureFloatingAsync(IPAddress vip, CancellationToken ct)
    {
        var serverId = await ServerIdAsync(ct).ConfigureAwait(false);
        var floating = await FindOrFailAsync(vip, ct).ConfigureAwait(false);
        if (floating.Server == serverId)
            return;

        _log?.Invoke($"hcloud: assigning floating IP {vip} (id {floating.Id}) to server {serverId}, held by {floating.Server?.ToString() ?? "nobody"}");
        var action = await _client.AssignFloatingIpAsync(floating.Id, serverId, ct).ConfigureAwait(false);
        await _client.WaitForActionAsync(action, ct).ConfigureAwait(false);
    }

    private async Task ReleaseFloatingAsync(IPAddress vip, CancellationToken ct)
    {
        var serverId = await ServerIdAsync(ct).ConfigureAwait(false);
        var floating = await FindOrFailAsync(vip, ct).ConfigureAwait(false);
        if (floating.Server != serverId)
            return;
        var action = await _client.UnassignFloatingIpAsync(floating.Id, ct).ConfigureAwait(false);
        await _client.WaitForActionAsync(action, ct).ConfigureAwait(false);
    }

    /// <summary>Alias IPs are not moved by the API: the old holder must drop the address first, or the
    /// network keeps routing to it.</summary>
    private async Task EnsureAliasAsync(IPAddress vip, CancellationToken ct)
    {
        var networkId = _options.NetworkId!.Value;
        var serverId = await ServerIdAsync(ct).ConfigureAwait(false);
        HcloudServer? self = null;
        var others = new List<HcloudServer>();
        await foreach (var server in _client.ListServersAsync(ct).ConfigureAwait(false))
        {
            if (server.Id == serverId)
                self = server;
            else if (server.OnNetwork(networkId)?.HasAlias(vip) == true)
                others.Add(server);
        }

        var ownNet = self?.OnNetwork(networkId)
            ?? throw new AnnounceException($"hcloud: server {serverId} is not attached to network {networkId}");
        if (others.Count == 0 && ownNet.HasAlias(vip))
            return;

        foreach (var holder in others)
        {
            _log?.Invoke($"hcloud: removing alias IP {vip} from server {holder.Id} on network {networkId}");
            var without = Aliases(holder.OnNetwork(networkId)!).Where(a => !Same(a, vip)).ToList();
            var removal = await _client.ChangeAliasIpsAsync(holder.Id, networkId, without, ct).ConfigureAwait(false);
            await _client.WaitForActionAsync(removal, ct).ConfigureAwait(false);
        }

        if (!ownNet.HasAlias(vip))
        {
            _log?.Invoke($"hcloud: adding alias IP {vip} to server {serverId} on network {networkId}");
            var with = Aliases(ownNet).Append(vip.ToString()).ToList();
            var add = await _client.ChangeAliasIpsAsync(serverId, networkId, with, ct).ConfigureAwait(false);
            await _client.WaitForActionAsync(add, ct).ConfigureAwait(false);
        }
    }

    private async Task ReleaseAliasAsync(IPAddress vip, CancellationToken ct)
    {
        var networkId = _options.NetworkId!.Value;
        var serverId = await ServerIdAsync(ct).ConfigureAwait(false);
        await foreach (var server in _client.ListServersAsync(ct).ConfigureAwait(false))
        {
            if (server.Id != serverId)
                continue;
            if (server.OnNetwork(networkId) is { } net && net.HasAlias(vip))
            {
                var without = Aliases(net).Where(a => !Same(a, vip)).ToList();
                var action = await _client.ChangeAliasIpsAsync(serverId, networkId, without, ct).ConfigureAwait(false);
                await _client.WaitForActionAsync(action, ct).ConfigureAwait(false);
            }
            return;
        }
    }

    private async Task<HcloudFloatingIp> FindOrFailAsync(IPAddress vip, CancellationToken ct) =>
        await _client.FindFloatingIpAsync(vip, ct).ConfigureAwait(false)
        ?? throw new AnnounceException($"hcloud: floating IP {vip} not found in the project");

    /// <summary>The metadata lookup happens once; the id of a running server does not change.</summary>
    private async Task<long> ServerIdAsync(CancellationToken ct)
    {
        if (_serverId is { } known)
            return known;
        try
        {
            var id = await _client.GetOwnServerIdAsync(ct).ConfigureAwait(false);
            _serverId = id;
            return id;
        }
        catch (ProviderApiException ex)
        {
            throw new AnnounceException(
                $"hcloud: cannot find this server's id (set serverId in the config): {ex.Reason}", ex);
        }
    }

    /// <summary>Turns every non-cancellation failure into an <see cref="AnnounceException"/> that names the VIP,
    /// so the caller can record the node as not announcing, with the reason.</summary>
    private async Task Guard(VipAnnouncement vip, string operation, Func<Task> body)
    {
        if (string.IsNullOrEmpty(_token))
            throw new AnnounceException(
                $"hcloud: no API token for VIP {vip.Ip}: set apiToken in the VIP config or {HcloudOptions.TokenEnvironmentVariable} in the environment");
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (ProviderApiException ex)
        {
            throw new AnnounceException($"hcloud: cannot {operation} {vip.Ip}: {ex.Reason}", ex);
        }
    }

    private static IEnumerable<string> Aliases(HcloudPrivateNet net) => net.AliasIps ?? [];

    private static bool Same(string alias, IPAddress vip) => IPAddress.TryParse(alias, out var ip) && ip.Equals(vip);

    public void Dispose() => _ownedHttp?.Dispose();
}
