using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Codec;
using Fabric.Vip.Bgp.Session;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Vip.Tests.Bgp;

/// <summary>
/// A scripted peer on loopback brings one session to Established, then sends it a mutated message. The session must
/// answer exactly as the decoder judges the bytes: the prescribed NOTIFICATION, silence for a valid message, or a
/// clean close after the peer's NOTIFICATION, then reconnect for the next case.
/// </summary>
public sealed class SessionFuzzTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly byte[] BirdOpen = Convert.FromHexString(CapturedMessages.Bird[0]); // AS 64512, 4-byte capable
    private static readonly byte[][] Seeds = CapturedMessages.Bird.Skip(1).Concat(CapturedMessages.GoBgp.Skip(1)).Concat(CapturedMessages.Frr.Skip(1))
        .Select(Convert.FromHexString).ToArray();

    [Fact]
    public async Task Session_answers_mutated_messages_with_the_right_notification()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var peer = new BgpPeerSettings
        {
            Address = IPAddress.Loopback, Asn = 64512, Port = (ushort)port,
            HoldTime = TimeSpan.FromSeconds(30), ConnectRetryTime = TimeSpan.FromMilliseconds(20),
        };
        var config = new BgpSessionConfig(peer, 64513, IPAddress.Parse("192.0.2.9"), DefaultBgpSocketFactory.Instance)
        { MaxConnectRetry = TimeSpan.FromMilliseconds(50) };
        ChildActorOf(BgpSession.Props(config));

        var rng = new Random(6608);
        int notified = 0, survived = 0, closed = 0;
        for (var i = 0; i < 150; i++)
        {
            byte[] input;
            BgpDecodeResult expected;
            do
            {
                input = FuzzTests.Mutate(rng, Seeds[rng.Next(Seeds.Length)]);
                expected = BgpMessageDecoder.Decode(input, BgpDecodeOptions.FourOctet);
            }
            // A length field that disagrees with what is sent would swallow the next case's bytes.
            while (BgpMessageDecoder.CheckHeader(input, out var length, out _) is null && length != input.Length);

            using var socket = await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(BgpMessageType.Open, (await Read(socket))!.Type);
            await socket.SendAsync(BirdOpen.Concat(BgpMessageEncoder.EncodeKeepalive()).ToArray());
            Assert.Equal(BgpMessageType.Keepalive, (await Read(socket))!.Type);

            await socket.SendAsync(input);
            switch (expected.Error, expected.Message)
            {
                case ({ } error, _):
                    var n = Assert.IsType<BgpNotificationMessage>(await ReadSkippingKeepalives(socket));
                    Assert.Equal((error.Code, error.Subcode), (n.Code, n.Subcode));
                    notified++;
                    break;
                case (null, BgpNotificationMessage):
                    Assert.Null(await ReadSkippingKeepalives(socket)); // closes, says nothing
                    closed++;
                    break;
                case (null, BgpOpenMessage):
                    var fsm = Assert.IsType<BgpNotificationMessage>(await ReadSkippingKeepalives(socket));
                    Assert.Equal((BgpErrorCode.Fsm, BgpFsmSubcode.UnexpectedInEstablished), (fsm.Code, fsm.Subcode));
                    notified++;
                    break;
                default:
                    // Still alive and reading: a broken marker now gets its own NOTIFICATION.
                    var bad = BgpMessageEncoder.EncodeKeepalive();
                    bad[0] = 0;
                    await socket.SendAsync(bad);
                    var sync = Assert.IsType<BgpNotificationMessage>(await ReadSkippingKeepalives(socket));
                    Assert.Equal((BgpErrorCode.MessageHeader, BgpHeaderSubcode.ConnectionNotSynchronized), (sync.Code, sync.Subcode));
                    survived++;
                    break;
            }
        }
        Assert.True(notified > 20 && survived > 20, $"notified {notified} survived {survived} closed {closed}");
    }

    private static async Task<BgpMessage?> ReadSkippingKeepalives(Socket socket)
    {
        while (true)
        {
            var m = await Read(socket);
            if (m is not BgpKeepaliveMessage and not BgpUpdateMessage) return m;
        }
    }

    private static async Task<BgpMessage?> Read(Socket socket)
    {
        var header = new byte[19];
        if (!await ReadExactly(socket, header)) return null;
        BgpMessageDecoder.CheckHeader(header, out var length, out _);
        var message = new byte[length];
        header.CopyTo(message, 0);
        if (!await ReadExactly(socket, message.AsMemory(19))) return null;
        return BgpMessageDecoder.Decode(message, BgpDecodeOptions.FourOctet).Message;
    }

    private static async Task<bool> ReadExactly(Socket socket, Memory<byte> buffer)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try { n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cts.Token); }
            catch (SocketException) { return false; }
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
