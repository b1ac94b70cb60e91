namespace Fabric.Actors.Config;

/// <summary>WireGuard settings, the same in v1alpha1 `wireguard:` and the WireguardConfig document.</summary>
internal static class WireguardReader
{
    public static readonly string[] LegacyKeys = ["privateKey", "listenPort", "firewallMark", "peers"];
    public static readonly string[] LegacyPeerKeys = ["publicKey", "endpoint", "persistentKeepaliveInterval", "allowedIPs"];
    public static readonly string[] DocumentPeerKeys = [.. LegacyPeerKeys, "presharedKey"];

    public static WireguardDefinition? Read(YMap map, string[] peerKeys)
    {
        var privateKey = Key(map, "privateKey", "privateKey");
        if (!map.Has("privateKey")) map.Error("privateKey is required (generate one with `wg genkey`)");
        var listenPort = (ushort?)map.UInt("listenPort", 1, 65535, "listenPort");
        var firewallMark = (uint?)map.UInt("firewallMark", 0, uint.MaxValue, "firewallMark");

        var peers = new List<WireguardPeerDefinition>();
        foreach (var item in map.List("peers", "peers"))
        {
            if (item.AsMap(peerKeys) is not { } peer) continue;
            var publicKey = Key(peer, "publicKey", "publicKey");
            if (!peer.Has("publicKey")) peer.Error("publicKey is required");
            Key(peer, "presharedKey", "presharedKey");
            var endpoint = peer.String("endpoint");
            if (endpoint is not null && ValueRules.HostPortProblem(endpoint) is { } problem)
                peer["endpoint"]!.Value.Error(problem);
            var keepalive = peer.Duration("persistentKeepaliveInterval");
            var allowed = peer.List("allowedIPs", "CIDR prefixes").Select(n => n.AsPrefix()).OfType<IpPrefix>().ToList();
            if (publicKey is not null)
                peers.Add(new WireguardPeerDefinition
                {
                    PublicKey = publicKey, Endpoint = endpoint, PersistentKeepaliveInterval = keepalive, AllowedIps = allowed,
                });
        }
        return privateKey is null ? null : new WireguardDefinition
        {
            PrivateKey = privateKey, ListenPort = listenPort, FirewallMark = firewallMark, Peers = peers,
        };
    }

    private static string? Key(YMap map, string key, string what)
    {
        if (map[key] is not { } node || node.AsString() is not { } text) return null;
        if (ValueRules.WireguardKeyProblem(text, what) is not { } problem) return text;
        node.Error(problem);
        return null;
    }
}
