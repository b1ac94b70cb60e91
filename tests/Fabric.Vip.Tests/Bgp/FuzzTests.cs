using Fabric.Vip.Bgp.Codec;

namespace Fabric.Vip.Tests.Bgp;

/// <summary>Random and mutated input never throws; every failure is a NOTIFICATION a peer could be sent.</summary>
public class FuzzTests
{
    private static readonly byte[][] Seeds = CapturedMessages.Bird.Concat(CapturedMessages.GoBgp).Concat(CapturedMessages.Frr)
        .Concat(CapturedMessages.BirdToTwoByte).Select(Convert.FromHexString).ToArray();

    internal static byte[] Mutate(Random rng, byte[] seed)
    {
        var m = (byte[])seed.Clone();
        switch (rng.Next(5))
        {
            case 0: // flip bytes after the marker
                for (var i = 0; i < 1 + rng.Next(4); i++) m[16 + rng.Next(m.Length - 16)] = (byte)rng.Next(256);
                break;
            case 1: // truncate but keep the header's claim consistent
                m = m[..Math.Max(19, rng.Next(m.Length))];
                m[16] = (byte)(m.Length >> 8); m[17] = (byte)m.Length;
                break;
            case 2: // extend with garbage
                m = m.Concat(Enumerable.Range(0, rng.Next(1, 40)).Select(_ => (byte)rng.Next(256))).ToArray();
                m[16] = (byte)(m.Length >> 8); m[17] = (byte)m.Length;
                break;
            case 3: // corrupt an inner length byte
                if (m.Length > 23) m[19 + rng.Next(m.Length - 19)] ^= (byte)(1 << rng.Next(8));
                break;
            default: // pure noise after a valid marker
                m = Enumerable.Repeat((byte)0xFF, 16).Concat(Enumerable.Range(0, rng.Next(3, 200)).Select(_ => (byte)rng.Next(256))).ToArray();
                break;
        }
        return m;
    }

    [Fact]
    public void Decoder_survives_100k_mutations()
    {
        var rng = new Random(4271);
        int errors = 0, ok = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var input = Mutate(rng, Seeds[rng.Next(Seeds.Length)]);
            var options = rng.Next(2) == 0 ? BgpDecodeOptions.FourOctet : BgpDecodeOptions.TwoOctet;
            var result = BgpMessageDecoder.Decode(input, options);
            if (result.Error is { } e)
            {
                errors++;
                Assert.InRange(e.Code, BgpErrorCode.MessageHeader, BgpErrorCode.RouteRefresh);
                var notification = BgpMessageEncoder.EncodeNotification(e);
                Assert.InRange(notification.Length, 21, 4096);
                // What we would send is itself a well-formed NOTIFICATION.
                Assert.IsType<BgpNotificationMessage>(BgpMessageDecoder.Decode(notification, options).Message);
            }
            else
            {
                ok++;
                Assert.NotNull(result.Message);
            }
        }
        Assert.True(errors > 1000 && ok > 1000, $"errors {errors} ok {ok}");
    }

    [Fact]
    public void Header_errors_match_full_decode()
    {
        var rng = new Random(7606);
        for (var i = 0; i < 20_000; i++)
        {
            var input = Mutate(rng, Seeds[rng.Next(Seeds.Length)]);
            var header = BgpMessageDecoder.CheckHeader(input, out var length, out _);
            if (header is not null)
                Assert.Equal(header.Code, BgpMessageDecoder.Decode(input, BgpDecodeOptions.FourOctet).Error!.Code);
            else
                Assert.InRange(length, 19, 4096);
        }
    }
}
