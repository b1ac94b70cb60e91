using Fabric.Actors.Config;
using Fabric.Vip.EquinixMetal;
using Fabric.Vip.Hcloud;

namespace Fabric.Vip.Providers;

/// <summary>Picks the provider announcer a VIP definition asks for, with default endpoints and the token from
/// the config or the environment.</summary>
public static class ProviderAnnouncers
{
    /// <returns>The announcer, or null for <see cref="VipAnnouncer.Layer2"/> (not a provider).</returns>
    public static IVipAnnouncer? Create(VipDefinition vip, HttpClient? http = null, Action<string>? log = null) =>
        vip.Announcer switch
        {
            VipAnnouncer.HetznerCloud => new HcloudAnnouncer(HcloudOptions.FromVip(vip), http, log: log),
            VipAnnouncer.EquinixMetal => new EquinixMetalAnnouncer(EquinixMetalOptions.FromVip(vip), http, log: log),
            _ => null,
        };
}
