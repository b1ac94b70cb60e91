using System.Net;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

/// <summary>The nf_tables batches Fabric sends, against what nft 1.0.6 sends for the same command. Captured once
/// on kernel 6.18 in a scratch namespace holding `table arp fabric { set owned4 { type ipv4_addr; flags timeout; } }`:
/// <code>
/// ip netns exec NS strace -e trace=sendmsg -e write=3 nft add element arp fabric owned4 '{ 192.0.2.10 timeout 475ms expires 475ms }'
/// ip netns exec NS strace -e trace=sendmsg -e write=3 nft delete element arp fabric owned4 '{ 192.0.2.10 }'
/// </code>
/// Two deliberate differences, applied to the captured bytes below: nft numbers the three messages 0, 1, 2 and
/// Fabric gives all three the request's number (so any error finds its waiter); nft adds
/// NFTA_SET_ELEM_LIST_SET_ID (its own cache's set id, only needed for a set created in the same batch) and no
/// NLM_F_ACK, Fabric names the set only and asks the last change for the ACK that confirms the batch.</summary>
public class NfTablesEncodingTests
{
    private static readonly NftSetRef Owned4 = new(NftFamily.Arp, "fabric", "owned4");
    private static readonly IPAddress Vip = IPAddress.Parse("192.0.2.10");

    // nft's add element, as captured (136 bytes).
    private const string NftAdd =
        "14000000" + "1000" + "0100" + "00000000" + "00000000" + "0000000a" + // BATCH_BEGIN, REQUEST, seq 0, res_id NFTABLES
        "60000000" + "0c0a" + "0104" + "01000000" + "00000000" + "03000000" + // NEWSETELEM, REQUEST|CREATE, seq 1, NFPROTO_ARP
        "0b000100" + "66616272696300" + "00" +                                 //   LIST_TABLE "fabric"
        "0b000200" + "6f776e65643400" + "00" +                                 //   LIST_SET "owned4"
        "08000400" + "00000001" +                                              //   LIST_SET_ID 1
        "2c000380" + "28000180" +                                              //   LIST_ELEMENTS { LIST_ELEM {
        "0c000400" + "00000000000001db" +                                      //     TIMEOUT 475 ms, big-endian
        "0c000500" + "00000000000001db" +                                      //     EXPIRATION 475 ms
        "0c000180" + "08000100" + "c000020a" +                                 //     KEY { DATA_VALUE 192.0.2.10 } } }
        "14000000" + "1100" + "0100" + "02000000" + "00000000" + "0000000a";  // BATCH_END, seq 2

    // nft's delete element, as captured (104 bytes).
    private const string NftDelete =
        "14000000" + "1000" + "0100" + "00000000" + "00000000" + "0000000a" +
        "40000000" + "0e0a" + "0100" + "01000000" + "00000000" + "03000000" + // DELSETELEM, REQUEST, seq 1
        "0b000100" + "66616272696300" + "00" +
        "0b000200" + "6f776e65643400" + "00" +
        "14000380" + "10000180" + "0c000180" + "08000100" + "c000020a" +      //   LIST_ELEMENTS { LIST_ELEM { KEY { 192.0.2.10 } } }
        "14000000" + "1100" + "0100" + "02000000" + "00000000" + "0000000a";

    [Fact]
    public void Add_with_timeout_is_nfts_batch_with_one_sequence_number_and_an_ack()
    {
        var expected = NftAdd
            .Replace("08000400" + "00000001", "")                             // no LIST_SET_ID
            .Replace("60000000" + "0c0a" + "0104" + "01000000", "58000000" + "0c0a" + "0504" + "07000000") // 8 bytes shorter, +ACK, seq 7
            .Replace("1000" + "0100" + "00000000", "1000" + "0100" + "07000000")
            .Replace("1100" + "0100" + "02000000", "1100" + "0100" + "07000000");
        var bytes = NfTablesSets.Encode(7, [NftSetChange.Add(Owned4, Vip, TimeSpan.FromMilliseconds(475.9))]);
        Assert.Equal(expected, Convert.ToHexString(bytes).ToLowerInvariant());
    }

    [Fact]
    public void Delete_is_nfts_batch_with_one_sequence_number_and_an_ack()
    {
        var expected = NftDelete
            .Replace("0e0a" + "0100" + "01000000", "0e0a" + "0500" + "07000000")
            .Replace("1000" + "0100" + "00000000", "1000" + "0100" + "07000000")
            .Replace("1100" + "0100" + "02000000", "1100" + "0100" + "07000000");
        var bytes = NfTablesSets.Encode(7, [NftSetChange.Delete(Owned4, Vip)]);
        Assert.Equal(expected, Convert.ToHexString(bytes).ToLowerInvariant());
    }

    [Fact]
    public void Only_the_last_change_of_a_batch_asks_for_the_ack_and_a_flush_names_no_elements()
    {
        var owned6 = new NftSetRef(NftFamily.Inet, "fabric", "owned6");
        var bytes = NfTablesSets.Encode(9, [NftSetChange.Flush(owned6), NftSetChange.Add(owned6, IPAddress.Parse("2001:db8::10"))]);
        var flush = bytes.AsSpan(20);
        Assert.Equal("0e0a" + "0100", Convert.ToHexString(flush.Slice(4, 4)).ToLowerInvariant()); // DELSETELEM, no ACK
        Assert.Equal(16 + 4 + 12 + 12, BitConverter.ToInt32(flush));                       // table and set, no elements
        var add = flush[(16 + 4 + 12 + 12)..];
        Assert.Equal("0c0a" + "0504", Convert.ToHexString(add.Slice(4, 4)).ToLowerInvariant()); // NEWSETELEM, ACK
        Assert.Equal(1, add[16]);                                                            // NFPROTO_INET
        Assert.Contains("20010db8000000000000000000000010", Convert.ToHexString(add).ToLowerInvariant());
    }

    [Fact]
    public void A_timeout_under_a_millisecond_is_refused_rather_than_sent_as_never_expiring()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            NfTablesSets.Encode(1, [NftSetChange.Add(Owned4, Vip, TimeSpan.FromMilliseconds(0.9))]));
        Assert.Contains("0 means no timeout", e.Message);
    }
}
