using System.Net;

namespace Fabric.Vip.LoadBalancer.Config;

public static class BgpPeerReader
{
    private static readonly string[] Supported =
        ["myASN", "peerASN", "peerAddress", "sourceAddress", "peerPort", "holdTime", "keepaliveTime", "connectTime",
         "routerID", "nodeSelectors", "password", "ebgpMultiHop", "enableGracefulRestart"];

    /// <summary>v1beta2 fields MetalLB has and Fabric's speaker does not implement; named in the error so the
    /// user knows which line to remove rather than seeing a peer that silently behaves differently.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unsupported = new Dictionary<string, string>
    {
        ["bfdProfile"] = "BFD is not implemented by Fabric's BGP speaker",
        ["vrf"] = "VRFs are not supported; peers are reached from the default routing table",
        ["disableMP"] = "Fabric always negotiates multiprotocol per family",
        ["dynamicASN"] = "set peerASN explicitly",
        ["interface"] = "unnumbered BGP (peering by interface) is not supported; set peerAddress",
        ["passwordSecret"] = "Secrets are not read; put the password in spec.password of a file-based BGPPeer",
    };

    public static BgpPeer? Read(DocReader r, string name, DocNode document, string at)
    {
        var spec = document["spec"] ?? new DocNode { Kind = DocNodeKind.Null, Location = document.Location };
        var path = $"{at}.spec";
        foreach (var (key, value) in spec.Entries)
        {
            if (Unsupported.TryGetValue(key, out var why)) r.Error(value, $"{path}.{key}", $"field {key} is not supported by Fabric: {why}");
            else if (!Supported.Contains(key)) r.Error(value, $"{path}.{key}", $"unknown field; expected one of {string.Join(", ", Supported)}");
        }
        var myAsn = (uint?)r.Integer(spec["myASN"], $"{path}.myASN", 1, uint.MaxValue);
        var peerAsn = (uint?)r.Integer(spec["peerASN"], $"{path}.peerASN", 1, uint.MaxValue);
        var peerAddress = Address(r, spec["peerAddress"], $"{path}.peerAddress");
        if (myAsn is null && spec["myASN"] is null) r.Error(spec, $"{path}.myASN", "myASN is required");
        if (peerAsn is null && spec["peerASN"] is null) r.Error(spec, $"{path}.peerASN", "peerASN is required");
        if (peerAddress is null && spec["peerAddress"] is null) r.Error(spec, $"{path}.peerAddress", "peerAddress is required");
        var hold = r.Duration(spec["holdTime"], $"{path}.holdTime");
        var keepalive = r.Duration(spec["keepaliveTime"], $"{path}.keepaliveTime");
        if (hold is { } h && h != TimeSpan.Zero && h < TimeSpan.FromSeconds(3))
            r.Error(spec["holdTime"]!, $"{path}.holdTime", "holdTime must be 0 or at least 3s (RFC 4271)");
        if (hold is { } h2 && keepalive is { } k && k > h2)
            r.Error(spec["keepaliveTime"]!, $"{path}.keepaliveTime", "keepaliveTime must not exceed holdTime");
        var peer = new BgpPeer
        {
            Name = name,
            MyAsn = myAsn ?? 0,
            PeerAsn = peerAsn ?? 0,
            PeerAddress = peerAddress ?? IPAddress.None,
            SourceAddress = Address(r, spec["sourceAddress"], $"{path}.sourceAddress"),
            PeerPort = (ushort?)r.Integer(spec["peerPort"], $"{path}.peerPort", 1, 65535) ?? 179,
            HoldTime = hold ?? TimeSpan.FromSeconds(90),
            KeepaliveTime = keepalive,
            ConnectTime = r.Duration(spec["connectTime"], $"{path}.connectTime"),
            RouterId = Address(r, spec["routerID"], $"{path}.routerID"),
            NodeSelectors = LabelSelectorReader.ReadList(r, spec["nodeSelectors"], $"{path}.nodeSelectors"),
            Password = r.String(spec["password"], $"{path}.password") ?? "",
            EbgpMultiHop = r.Bool(spec["ebgpMultiHop"], $"{path}.ebgpMultiHop") ?? false,
            EnableGracefulRestart = r.Bool(spec["enableGracefulRestart"], $"{path}.enableGracefulRestart") ?? false,
            Location = document.Location,
        };
        return myAsn is null || peerAsn is null || peerAddress is null ? null : peer;
    }

    private static IPAddress? Address(DocReader r, DocNode? node, string path)
    {
        var text = r.String(node, path);
        if (text is null) return null;
        if (IPAddress.TryParse(text, out var address) && !text.Contains('%')) return address;
        r.Error(node!, path, $"\"{text}\" is not an IP address");
        return null;
    }
}
