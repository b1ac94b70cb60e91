using System.Net;

namespace Fabric.Actors.Tests;

public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("192.0.2.11/24", "192.0.2.1", true)]
    [InlineData("192.0.2.11/24", "192.0.3.1", false)]
    [InlineData("192.0.2.129/25", "192.0.2.200", true)]
    [InlineData("192.0.2.129/25", "192.0.2.127", false)]
    [InlineData("198.18.0.0/15", "198.19.255.1", true)]
    [InlineData("198.18.0.0/15", "198.20.0.1", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("203.0.113.9/32", "203.0.113.9", true)]
    [InlineData("203.0.113.9/32", "203.0.113.8", false)]
    [InlineData("2001:db8::11/64", "2001:db8::1", true)]
    [InlineData("2001:db8::11/64", "2001:db8:0:1::1", false)]
    [InlineData("2001:db8::/33", "2001:db8:7fff::1", true)]
    [InlineData("2001:db8::/33", "2001:db8:8000::1", false)]
    [InlineData("192.0.2.11/24", "2001:db8::1", false)]
    public void Contains_checks_every_bit_of_the_prefix(string prefix, string address, bool expected) =>
        Assert.Equal(expected, IpPrefix.Parse(prefix).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("192.0.2.11", "\"192.0.2.11\" is not a CIDR (missing /prefix-length)")]
    [InlineData("192.0.2.300/24", "\"192.0.2.300\" is not an IP address")]
    [InlineData("192.0.2.1/33", "prefix length \"33\" must be 0..32")]
    [InlineData("2001:db8::1/129", "prefix length \"129\" must be 0..128")]
    public void Bad_prefixes_say_what_is_wrong(string text, string error)
    {
        Assert.False(IpPrefix.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }

    [Fact]
    public void Network_clears_host_bits_and_keeps_the_length() =>
        Assert.Equal("192.0.2.128/25", IpPrefix.Parse("192.0.2.200/25").Network.ToString());
}
