using System.Net;
using System.Net.Sockets;
using System.Buffers.Binary;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>WG_CMD_SET_DEVICE (linux/wireguard.h), laid out as wg(8) sends it. Configuration is declarative:
/// REPLACE_PEERS drops peers not listed, REPLACE_ALLOWEDIPS does the same for each peer's allowed IPs.</summary>
internal static class WireguardEncoder
{
    private const byte CmdSetDevice = 1, GenlVersion = 1;
    private const ushort DeviceIfName = 2, DevicePrivateKey = 3, DeviceFlags = 5, DeviceListenPort = 6,
        DeviceFwMark = 7, DevicePeers = 8;
    private const ushort PeerPublicKey = 1, PeerFlags = 3, PeerEndpoint = 4, PeerKeepalive = 5, PeerAllowedIps = 9;
    private const ushort AllowedIpFamily = 1, AllowedIpAddress = 2, AllowedIpCidr = 3;
    private const uint ReplacePeers = 1, ReplaceAllowedIps = 2;
    private const int KeyLength = 32;

    public static byte[] SetDevice(uint seq, ushort familyId, string device, WireguardOptions options)
    {
        var buffer = new byte[64 * 1024];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(familyId, Nl.FRequest | Nl.FAck, seq);
        GenericNetlinkCodec.WriteHeader(ref w, CmdSetDevice, GenlVersion);
        w.String(DeviceIfName, device);
        w.Attr(DevicePrivateKey, Key(options.PrivateKey, $"wireguard {device}: private key"));
        if (options.ListenPort is { } port) w.U16(DeviceListenPort, port);
        if (options.FirewallMark is { } mark) w.U32(DeviceFwMark, mark);
        w.U32(DeviceFlags, ReplacePeers);
        var peers = w.BeginNested(DevicePeers, flagNested: true);
        for (var i = 0; i < options.Peers.Count; i++)
            WritePeer(ref w, (ushort)i, options.Peers[i], device);
        w.EndNested(peers);
        w.EndMessage();
        return w.ToArray();
    }

    private static void WritePeer(ref NetlinkWriter w, ushort index, WireguardPeer peer, string device)
    {
        var nest = w.BeginNested(index, flagNested: true);
        w.Attr(PeerPublicKey, Key(peer.PublicKey, $"wireguard {device}: peer public key"));
        w.U32(PeerFlags, ReplaceAllowedIps);
        if (peer.Endpoint is { } endpoint) w.Attr(PeerEndpoint, SockAddr(endpoint, device));
        if (peer.PersistentKeepalive is { } keepalive) w.U16(PeerKeepalive, checked((ushort)keepalive.TotalSeconds));
        var allowed = w.BeginNested(PeerAllowedIps, flagNested: true);
        for (var i = 0; i < peer.AllowedIps.Count; i++)
        {
            var prefix = peer.AllowedIps[i];
            var ip = w.BeginNested((ushort)i, flagNested: true);
            w.U16(AllowedIpFamily, AddressCodec.Family(prefix.Address));
            w.Address(AllowedIpAddress, prefix.Address);
            w.U8(AllowedIpCidr, (byte)prefix.PrefixLength);
            w.EndNested(ip);
        }
        w.EndNested(allowed);
        w.EndNested(nest);
    }

    private static byte[] Key(string base64, string what)
    {
        var key = new byte[KeyLength];
        return Convert.TryFromBase64String(base64, key, out var written) && written == KeyLength
            ? key
            : throw new ArgumentException($"{what} is not a base64 32-byte key");
    }

    /// <summary>struct sockaddr_in / sockaddr_in6: family in host order, port in network order.</summary>
    private static byte[] SockAddr(string endpoint, string device)
    {
        if (!IPEndPoint.TryParse(endpoint, out var parsed) || parsed.Port == 0)
            throw new ArgumentException($"wireguard {device}: endpoint \"{endpoint}\" is not ADDRESS:PORT (resolve names before)");
        var v6 = parsed.AddressFamily == AddressFamily.InterNetworkV6;
        var bytes = new byte[v6 ? 28 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, v6 ? (ushort)10 : (ushort)2);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)parsed.Port);
        parsed.Address.TryWriteBytes(bytes.AsSpan(v6 ? 8 : 4), out _);
        if (v6) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), (uint)parsed.Address.ScopeId);
        return bytes;
    }
}
