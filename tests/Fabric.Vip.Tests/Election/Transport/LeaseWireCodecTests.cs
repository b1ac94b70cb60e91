using Fabric.Vip.Election;
using Fabric.Vip.Election.Transport;

namespace Fabric.Vip.Tests.Election.Transport;

public sealed class LeaseWireCodecTests
{
    private const string Path = "/user/vip/192.0.2.10";
    private const string A = "akka.tcp://fabric-lab@192.0.2.11:4053";
    private const string B = "akka.tcp://fabric-lab@192.0.2.12:4053";

    private static readonly object[] All =
    [
        new LeaseRequest("192.0.2.10", A, -3, 41, 7, 40, true, long.MinValue),
        new LeaseGranted("192.0.2.10", B, A, 41, 7, 123456789012345),
        new LeaseRejected("192.0.2.10", B, A, 41, 7, -1, B, 2, true, long.MaxValue),
        new LeaseRejected("2001-db8--10", B, A, 41, 7, -1, null, 0, false, 0),
        new LeaseRelease("192.0.2.10", A, 41, 99),
        new EpochQuery("192.0.2.10", A),
        new EpochReport("192.0.2.10", B, 17, false),
    ];

    public static TheoryData<object> Messages() => new(All);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_lease_message_survives_the_round_trip(object message)
    {
        var datagram = LeaseWireCodec.Encode(Path, message);
        Assert.NotNull(datagram);
        Assert.True(LeaseWireCodec.TryDecode(datagram, out var path, out var decoded));
        Assert.Equal(Path, path);
        Assert.Equal(message, decoded);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_truncated_or_padded_datagram_is_refused(object message)
    {
        var datagram = LeaseWireCodec.Encode(Path, message)!;
        for (var length = 0; length < datagram.Length; length++)
            Assert.False(LeaseWireCodec.TryDecode(datagram.AsSpan(0, length), out _, out _), $"accepted {length} of {datagram.Length} bytes");
        Assert.False(LeaseWireCodec.TryDecode([.. datagram, 0], out _, out _));
    }

    [Fact]
    public void Other_versions_kinds_and_types_are_refused()
    {
        var datagram = LeaseWireCodec.Encode(Path, new EpochQuery("192.0.2.10", A))!;
        var otherVersion = (byte[])datagram.Clone();
        otherVersion[2] = 2;
        var unknownKind = (byte[])datagram.Clone();
        unknownKind[3] = 99;
        Assert.False(LeaseWireCodec.TryDecode(otherVersion, out _, out _));
        Assert.False(LeaseWireCodec.TryDecode(unknownKind, out _, out _));
        Assert.Null(LeaseWireCodec.Encode(Path, "not a lease message"));
        Assert.Null(LeaseWireCodec.Encode(Path, new EpochQuery(new string('x', 2000), A)));
    }

    [Fact]
    public void Random_corruption_never_throws()
    {
        var random = new Random(7);
        var samples = All.Select(m => LeaseWireCodec.Encode(Path, m)!).ToList();
        for (var i = 0; i < 50_000; i++)
        {
            var bytes = (byte[])samples[i % samples.Count].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            LeaseWireCodec.TryDecode(bytes, out _, out _);
        }
    }
}
