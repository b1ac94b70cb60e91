namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>What `fabric get ipaddresspools` shows. Size and Free saturate at UInt128.MaxValue for absurd IPv6 pools.</summary>
public sealed record PoolStatus(string Name, UInt128 Size, long Used, UInt128 Free, IReadOnlyList<string> Addresses, bool AutoAssign);
