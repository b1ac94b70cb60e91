using Fabric.Actors.Config;
using Fabric.Vip.Providers;

namespace Fabric.Vip.Hcloud;

/// <summary>Settings of the Hetzner Cloud announcer. <see cref="ToString"/> never prints the token.</summary>
public sealed record HcloudOptions
{
    public const string DefaultBaseUrl = "https://api.hetzner.cloud/v1";
    public const string DefaultMetadataUrl = "http://169.254.169.254/hetzner/v1/metadata/instance-id";
    public const string TokenEnvironmentVariable = "HCLOUD_TOKEN";

    public Uri BaseUrl { get; init; } = new(DefaultBaseUrl);

    /// <summary>API token; when null the announcer reads <c>HCLOUD_TOKEN</c>.</summary>
    public string? Token { get; init; }

    /// <summary>This node's server id; when null it is read once from <see cref="MetadataUrl"/>.</summary>
    public long? ServerId { get; init; }

    public Uri MetadataUrl { get; init; } = new(DefaultMetadataUrl);

    /// <summary>Set for private networks: the VIP is then an alias IP on this network instead of a floating IP.</summary>
    public long? NetworkId { get; init; }

    /// <summary>How long an assign/unassign action may stay "running" before the announce fails.</summary>
    public TimeSpan ActionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gap between action status polls (the official Go client uses about 500 ms).</summary>
    public TimeSpan ActionPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Page size for listing floating IPs and servers; the API caps it at 50.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Unassign on withdraw. Off by default, see <see cref="HcloudAnnouncer.WithdrawAsync"/>.</summary>
    public bool UnassignOnWithdraw { get; init; }

    public ProviderRetryOptions Retry { get; init; } = new();

    /// <summary>Options for a VIP from the normalized config; the token is left to the announcer's
    /// environment fallback when the config carries none.</summary>
    public static HcloudOptions FromVip(VipDefinition vip) => new() { Token = vip.ApiToken };

    /// <summary>The token to use: config first, then <c>HCLOUD_TOKEN</c>.</summary>
    public string? ResolveToken(Func<string, string?>? getEnv = null) =>
        ProviderToken.Resolve(Token, getEnv ?? Environment.GetEnvironmentVariable, TokenEnvironmentVariable);

    public override string ToString() =>
        $"HcloudOptions {{ BaseUrl = {BaseUrl}, Token = {(string.IsNullOrEmpty(Token) ? "(none)" : "[redacted]")}, " +
        $"ServerId = {ServerId?.ToString() ?? "(metadata)"}, MetadataUrl = {MetadataUrl}, NetworkId = {NetworkId?.ToString() ?? "(none)"}, " +
        $"ActionTimeout = {ActionTimeout}, ActionPollInterval = {ActionPollInterval}, PageSize = {PageSize}, " +
        $"UnassignOnWithdraw = {UnassignOnWithdraw}, Retry = {Retry} }}";
}
