using Akka.Configuration;
using Fabric.Actors.Config;
using Fabric.Vip.Cluster;
using Fabric.Vip.Election;
using Fabric.Vip.LoadBalancer.Wire;
using Fabric.Vip.Serialization;

namespace Fabric.Vip.Node;

/// <summary>How a node joins its cluster: from fabric.cluster, or, without one, as a cluster of one on loopback
/// (VIPs then have a single voter, and the load balancer's allocator still runs).</summary>
public sealed record ClusterBootstrap(string SystemName, string Host, int Port, IReadOnlyList<string> Seeds)
{
    public static ClusterBootstrap From(ClusterSettings? cluster)
    {
        if (cluster is null) return new("fabric", "127.0.0.1", 0, []);
        var (host, port) = HostPort(cluster.Listen);
        return new($"fabric-{cluster.Name}", host, port, cluster.Seeds);
    }

    /// <summary>The Akka address a node has when it listens on "host:port": how voters are named.</summary>
    public string AddressOf(string hostPort) => $"akka.tcp://{SystemName}@{hostPort}";

    public IReadOnlyList<string> SeedAddresses => Seeds.Select(AddressOf).ToList();

    public Config Hocon() => ConfigurationFactory.ParseString($$"""
        akka {
          actor.provider = cluster
          # Bound on every address and advertised as the configured one: the agent itself puts that address on
          # its link, after remoting has started.
          remote.dot-netty.tcp {
            hostname = "{{(Host.Contains(':') ? "::" : "0.0.0.0")}}"
            public-hostname = "{{Host}}"
            port = {{Port}}
          }
          # After a failed connection remoting refuses to try again for a while; lease traffic to a restarted
          # peer must not wait seconds for that.
          remote.retry-gate-closed-for = 200ms
          remote.use-passive-connections = off
          cluster {
            seed-nodes = [{{string.Join(", ", SeedAddresses.Select(s => $"\"{s}\""))}}]
            # Membership is not what moves VIPs (the lease does), so ordinary failure detection is fine.
            failure-detector.acceptable-heartbeat-pause = 3s
          }
        }
        """)
        .WithFallback(ConfigurationFactory.ParseString(FabricHyperionSerializer.Hocon))
        .WithFallback(ConfigurationFactory.ParseString(LoadBalancerWireSerializer.Hocon))
        .WithFallback(ConfigurationFactory.ParseString(LeaseDispatcher.Hocon))
        .WithFallback(ConfigurationFactory.ParseString(FabricClusterHocon.SplitBrainResolver))
        .WithFallback(ConfigurationFactory.ParseString(FabricClusterHocon.SingletonProxy));

    private static (string Host, int Port) HostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return (text[..colon].Trim('[', ']'), int.Parse(text[(colon + 1)..]));
    }
}
