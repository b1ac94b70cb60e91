using Fabric.Actors.Config;
using Fabric.Vip.Providers;

namespace Fabric.Vip.EquinixMetal;

/// <summary>Settings of the (legacy) Equinix Metal announcer. <see cref="ToString"/> never prints the token.</summary>
public sealed record EquinixMetalOptions
{
    public const string DefaultBaseUrl = "https://api.equinix.com/metal/v1";
    public const string DefaultMetadataUrl = "https://metadata.platformequinix.com/metadata";

    /// <summary>Checked in this order when the config has no token: the current name, then the Packet-era one
    /// that older installations still set.</summary>
    public static readonly IReadOnlyList<string> TokenEnvironmentVariables = ["METAL_AUTH_TOKEN", "PACKET_AUTH_TOKEN"];

    public Uri BaseUrl { get; init; } = new(DefaultBaseUrl);

    public string? Token { get; init; }

    /// <summary>This node's device id; when null it is read once from <see cref="MetadataUrl"/>.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The project holding the IP reservations; when null it is read from the device.</summary>
    public string? ProjectId { get; init; }

    public Uri MetadataUrl { get; init; } = new(DefaultMetadataUrl);

    /// <summary>Delete our assignment on withdraw. Off by default, see <see cref="EquinixMetalAnnouncer.WithdrawAsync"/>.</summary>
    public bool UnassignOnWithdraw { get; init; }

    public ProviderRetryOptions Retry { get; init; } = new();

    public static EquinixMetalOptions FromVip(VipDefinition vip) => new() { Token = vip.ApiToken };

    public string? ResolveToken(Func<string, string?>? getEnv = null) =>
        ProviderToken.Resolve(Token, getEnv ?? Environment.GetEnvironmentVariable, [.. TokenEnvironmentVariables]);

    public override string ToString() =>
        $"EquinixMetalOptions {{ BaseUrl = {BaseUrl}, Token = {(string.IsNullOrEmpty(Token) ? "(none)" : "[redacted]")}, " +
        $"DeviceId = {DeviceId ?? "(metadata)"}, ProjectId = {ProjectId ?? "(from device)"}, MetadataUrl = {MetadataUrl}, " +
        $"UnassignOnWithdraw = {UnassignOnWithdraw}, Retry = {Retry} }}";
}
