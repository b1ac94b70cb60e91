#!/bin/sh
# Reproduces the expected bytes in NetlinkEncodingTests: runs each `ip` command under strace inside a scratch
# namespace and prints the last netlink request it sent, with nlmsg_seq and nlmsg_pid zeroed (ip stamps the time).
# Usage: capture-iproute2.sh   (root; needs strace and iproute2)
set -e
NS=fnlcap-$$
ip netns add $NS
trap 'ip netns del $NS' EXIT
x() { ip -n $NS "$@" >/dev/null 2>&1 || true; }
x link add veth0 type veth peer name veth1
x link add br0 type bridge
x addr add 192.0.2.5/24 dev veth0
x link set veth0 up
x link set veth1 up
cap() {
  echo "# ip $*"
  ip netns exec $NS strace -f -e trace=sendmsg -e write=3 -s 4096 ip "$@" 2>&1 >/dev/null |
    awk '/^sendmsg/ { hex = "" } /^ [|] [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f] / { for (i = 3; i <= 18 && $i ~ /^[0-9a-f][0-9a-f]$/; i++) hex = hex $i } END { print hex }' |
    sed -E 's/^(.{16}).{16}/\10000000000000000/'
}
ip -n $NS -o link | awk '{print "# index", $1, $2}'
cap link add br1 type bridge stp_state 1 vlan_filtering 1
cap link add br2 type bridge
cap link add br3 type bridge stp_state 1
cap link set dev br0 type bridge stp_state 0 vlan_filtering 0
cap link set dev br0 mtu 9000
cap link set dev br0 up
cap link set dev br0 down
cap link set dev veth0 master br0
cap link set dev veth0 nomaster
cap link del dev br0
cap link add link veth0 name veth0.100 type vlan protocol 802.1ad id 100
cap link add link veth0 name veth0.7 type vlan id 7
cap link add bond0 type bond mode 802.3ad miimon 100 updelay 200 downdelay 300 xmit_hash_policy layer3+4 lacp_rate fast min_links 1 primary veth0 arp_ip_target 192.0.2.1,192.0.2.2 ad_actor_sys_prio 100 ad_actor_system 02:11:22:33:44:55
cap link add bond1 type bond mode active-backup
cap link add wg0 type wireguard
cap link add d0 type dummy
# iproute2 6.1 knows no `proto` for addresses: the tests append IFA_PROTO to these bytes themselves.
cap address replace 192.0.2.6/24 dev veth0
cap -6 address replace 2001:db8::6/64 dev veth0
cap -6 address replace 2001:db8::7/64 dev veth0 nodad
cap address del 192.0.2.6/24 dev veth0
cap -6 address del 2001:db8::6/64 dev veth0
cap route replace 10.1.0.0/16 via 192.0.2.1 dev veth0 src 192.0.2.5 table 100 metric 50 mtu 1400 proto 70
cap route replace 10.2.0.0/16 via 192.0.2.1 dev veth0 table 1000 metric 50 proto 70
cap route replace default via 192.0.2.1 dev veth0 proto 70
cap route replace 10.3.0.0/24 dev veth0 scope link proto 70
cap -6 route replace 2001:db8:1::/48 via 2001:db8::1 dev veth0 metric 1024 proto 70
cap route replace blackhole 10.9.0.0/16 proto 70
cap route del 10.1.0.0/16 via 192.0.2.1 dev veth0 table 100 metric 50 proto 70
cap route del default via 192.0.2.1 dev veth0 proto 70
