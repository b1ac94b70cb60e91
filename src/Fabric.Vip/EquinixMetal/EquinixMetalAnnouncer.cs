using System.Net;
using Fabric.Vip.Providers;

namespace Fabric.Vip.EquinixMetal;

/// <summary>Announces a VIP by assigning it to this device through the Equinix Metal API.
/// <para><b>Legacy.</b> Equinix Metal shut down on 2026-06-30; this remains for existing installations and
/// for Talos configs that carry <c>vip.equinixMetal</c>. New clusters should not use it.</para>
/// The API will not move an assigned IP, so a takeover deletes the other device's assignment first and then
/// assigns; both calls are synchronous.</summary>
public sealed class EquinixMetalAnnouncer : IVipAnnouncer
{
    private readonly EquinixMetalOptions _options;
    private readonly EquinixMetalClient _client;
    private readonly HttpClient? _ownedHttp;
    private readonly string? _token;
    private readonly Action<string>? _log;
    private string? _deviceId;
    private string? _projectId;

    /// <param name="options">Settings; a missing token is taken from <c>METAL_AUTH_TOKEN</c> or
    /// <c>PACKET_AUTH_TOKEN</c> (via <paramref name="getEnv"/>).</param>
    /// <param name="http">HTTP client to use (not disposed here); null creates and owns one.</param>
    /// <param name="log">Receives retry and takeover notes; the texts never contain the token.</param>
    public EquinixMetalAnnouncer(
        EquinixMetalOptions options,
        HttpClient? http = null,
        Func<string, string?>? getEnv = null,
        TimeProvider? time = null,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Validate(Name);
        _token = options.ResolveToken(getEnv);
        _options = options with { Token = _token };
        _deviceId = options.DeviceId;
        _projectId = options.ProjectId;
        _log = log;
        if (http is null)
            http = _ownedHttp = ProviderHttp.Create();
        _client = new EquinixMetalClient(http, _options, time, log);
    }

    public string Name => "equinix-metal";

    public Task AnnounceAsync(VipAnnouncement vip, CancellationToken ct) =>
        Guard(vip, "announce", () => EnsureAssignedAsync(vip.Ip, ct));

    /// <summary>Same as announce: one list call when nothing changed, a takeover when someone moved the IP.</summary>
    public Task RefreshAsync(VipAnnouncement vip, CancellationToken ct) =>
        Guard(vip, "refresh", () => EnsureAssignedAsync(vip.Ip, ct));

    /// <summary>Does nothing unless <see cref="EquinixMetalOptions.UnassignOnWithdraw"/> is set: the next owner
    /// deletes our assignment as part of its takeover, and deleting it here would only leave the VIP without a
    /// holder in between (or, after a lost lease, race with the new owner). With the option set, only an
    /// assignment to this device is deleted.</summary>
    public Task WithdrawAsync(VipAnnouncement vip, CancellationToken ct) =>
        !_options.UnassignOnWithdraw ? Task.CompletedTask : Guard(vip, "withdraw", () => ReleaseAsync(vip.Ip, ct));

    private async Task EnsureAssignedAsync(IPAddress vip, CancellationToken ct)
    {
        var deviceId = await DeviceIdAsync(ct).ConfigureAwait(false);
        var assignments = await AssignmentsOfAsync(vip, ct).ConfigureAwait(false);
        var ours = false;
        foreach (var assignment in assignments)
        {
            if (assignment.DeviceId == deviceId)
            {
                ours = true;
                continue;
            }
            _log?.Invoke($"equinix-metal: removing assignment {assignment.AssignmentId} of {vip} from device {assignment.DeviceId ?? "(unknown)"}");
            await _client.DeleteAssignmentAsync(assignment.AssignmentId!, ct).ConfigureAwait(false);
        }
        if (ours)
            return;

        _log?.Invoke($"equinix-metal: assigning {vip} to device {deviceId}");
        await _client.AssignAsync(deviceId, vip, ct).ConfigureAwait(false);
    }

    private async Task ReleaseAsync(IPAddress vip, CancellationToken ct)
    {
        var deviceId = await DeviceIdAsync(ct).ConfigureAwait(false);
        foreach (var assignment in await AssignmentsOfAsync(vip, ct).ConfigureAwait(false))
        {
            if (assignment.DeviceId == deviceId)
                await _client.DeleteAssignmentAsync(assignment.AssignmentId!, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Current assignments of exactly this address. The project list may give only links, so
    /// incomplete entries are fetched one by one (a reservation rarely has more than a few).</summary>
    private async Task<List<EquinixIpAssignment>> AssignmentsOfAsync(IPAddress vip, CancellationToken ct)
    {
        var projectId = await ProjectIdAsync(ct).ConfigureAwait(false);
        var reservations = await _client.ListProjectIpsAsync(projectId, ct).ConfigureAwait(false);
        var matching = reservations.Where(r => r.Contains(vip)).ToList();
        if (matching.Count == 0)
            throw new AnnounceException($"equinix-metal: IP {vip} not found in project {projectId} (no reservation contains it)");

        var result = new List<EquinixIpAssignment>();
        foreach (var listed in matching.SelectMany(r => r.Assignments ?? []))
        {
            if (listed.AssignmentId is not { } id)
                continue;
            var assignment = listed.IsComplete ? listed : await _client.GetAssignmentAsync(id, ct).ConfigureAwait(false);
            if (assignment.Is(vip))
                result.Add(assignment with { Id = id });
        }
        return result;
    }

    /// <summary>Looked up once: a running device keeps its id.</summary>
    private async Task<string> DeviceIdAsync(CancellationToken ct)
    {
        if (_deviceId is { } known)
            return known;
        try
        {
            return _deviceId = await _client.GetOwnDeviceIdAsync(ct).ConfigureAwait(false);
        }
        catch (ProviderApiException ex)
        {
            throw new AnnounceException($"equinix-metal: cannot find this device's id (set deviceId in the config): {ex.Reason}", ex);
        }
    }

    private async Task<string> ProjectIdAsync(CancellationToken ct)
    {
        if (_projectId is { } known)
            return known;
        var deviceId = await DeviceIdAsync(ct).ConfigureAwait(false);
        EquinixDevice device;
        try
        {
            device = await _client.GetDeviceAsync(deviceId, ct).ConfigureAwait(false);
        }
        catch (ProviderApiException ex) when (ex.IsNotFound)
        {
            throw new AnnounceException($"equinix-metal: device {deviceId} not found (is the token for the right project?)", ex);
        }
        return _projectId = device.Project?.ProjectId
            ?? throw new AnnounceException($"equinix-metal: device {deviceId} has no project (set projectId in the config)");
    }

    /// <summary>Turns every non-cancellation failure into an <see cref="AnnounceException"/> naming the VIP, so the
    /// node is recorded as not announcing, with the reason.</summary>
    private async Task Guard(VipAnnouncement vip, string operation, Func<Task> body)
    {
        if (string.IsNullOrEmpty(_token))
            throw new AnnounceException(
                $"equinix-metal: no API token for VIP {vip.Ip}: set apiToken in the VIP config or " +
                $"{string.Join(" or ", EquinixMetalOptions.TokenEnvironmentVariables)} in the environment");
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (ProviderApiException ex)
        {
            throw new AnnounceException($"equinix-metal: cannot {operation} {vip.Ip}: {ex.Reason}", ex);
        }
    }

    public void Dispose() => _ownedHttp?.Dispose();
}
