using System.Net.Sockets;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>IFLA_BOND_* options. The kernel takes numbers where users write names; the tables are
/// the kernel's own (drivers/net/bonding/bond_options.c).</summary>
internal static class BondEncoder
{
    private static readonly string[] Modes =
        ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"];
    private static readonly string[] HashPolicies =
        ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"];
    private static readonly string[] LacpRates = ["slow", "fast"];

    public static void Write(ref NetlinkWriter w, string link, BondOptions bond, int primaryIndex)
    {
        w.U8(Ifla.BondMode, Lookup(Modes, bond.Mode, link, "mode"));
        if (bond.MiiMon is { } miimon) w.U32(Ifla.BondMiiMon, miimon);
        if (bond.UpDelay is { } up) w.U32(Ifla.BondUpDelay, up);
        if (bond.DownDelay is { } down) w.U32(Ifla.BondDownDelay, down);
        if (bond.XmitHashPolicy is { } policy) w.U8(Ifla.BondXmitHashPolicy, Lookup(HashPolicies, policy, link, "xmit_hash_policy"));
        if (bond.LacpRate is { } rate) w.U8(Ifla.BondLacpRate, Lookup(LacpRates, rate, link, "lacp_rate"));
        if (bond.MinLinks is { } minLinks) w.U32(Ifla.BondMinLinks, minLinks);
        if (primaryIndex != 0) w.U32(Ifla.BondPrimary, (uint)primaryIndex);
        if (bond.ArpIpTargets.Count > 0)
        {
            var targets = w.BeginNested(Ifla.BondArpIpTarget);
            for (var i = 0; i < bond.ArpIpTargets.Count; i++)
            {
                var target = bond.ArpIpTargets[i];
                if (target.AddressFamily != AddressFamily.InterNetwork)
                    throw new ArgumentException($"bond {link}: arp_ip_target {target} is not IPv4");
                w.Address((ushort)i, target);
            }
            w.EndNested(targets);
        }
        if (bond.AdActorSystemPriority is { } prio) w.U16(Ifla.BondAdActorSysPrio, prio);
        if (bond.AdActorSystem is { } system) w.Attr(Ifla.BondAdActorSystem, ParseMac(system, link));
    }

    private static byte Lookup(string[] names, string value, string link, string option)
    {
        var index = Array.IndexOf(names, value);
        return index >= 0
            ? (byte)index
            : throw new ArgumentException($"bond {link}: {option} \"{value}\" is not one of {string.Join(", ", names)}");
    }

    private static byte[] ParseMac(string text, string link)
    {
        var parts = text.Split(':');
        var bytes = new byte[6];
        if (parts.Length != 6 || !parts.Select((p, i) => byte.TryParse(p, System.Globalization.NumberStyles.HexNumber, null, out bytes[i])).All(ok => ok))
            throw new ArgumentException($"bond {link}: ad_actor_system \"{text}\" is not a MAC address");
        return bytes;
    }
}
