# Sourced helper: make_pair NAME creates NAME-a (speaker, .2) and NAME-b (peer, .1) joined by a veth.
make_pair() {
  local n=$1
  ip netns add $n-a; ip netns add $n-b
  ip link add $n-va type veth peer name $n-vb
  ip link set $n-va netns $n-a; ip link set $n-vb netns $n-b
  ip -n $n-a addr add 203.0.113.2/24 dev $n-va; ip -n $n-b addr add 203.0.113.1/24 dev $n-vb
  ip -n $n-a addr add 2001:db8:ffff::2/64 dev $n-va nodad; ip -n $n-b addr add 2001:db8:ffff::1/64 dev $n-vb nodad
  for s in a b; do ip -n $n-$s link set lo up; done
  ip -n $n-a link set $n-va up; ip -n $n-b link set $n-vb up
}
del_pair() { ip netns del $1-a 2>/dev/null; ip netns del $1-b 2>/dev/null; true; }
