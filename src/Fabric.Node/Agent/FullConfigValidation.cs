using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Sources.Config;

namespace Fabric.Node.Agent;

/// <summary>Everything a config file is checked for before it is used: the network part and Fabric's settings
/// (ConfigLoader), and the documents other parts read — MetalLB pools and advertisements, v1 Services, the
/// BGPPeers against fabric.bgp (one speaker per node: one ASN, one router id), and that a load balancer in a
/// cluster of several nodes has a shared journal (<see cref="SharedJournalRule"/>). One
/// verdict for `fabric validate`, `fabric apply` and the agent's start, so none of them accepts what another refuses.</summary>
public static class FullConfigValidation
{
    public static ConfigResult Parse(string yaml, string file) => Complete(ConfigLoader.Parse(yaml, file));

    public static ConfigResult Load(string path) => Complete(ConfigLoader.Load(path));

    public static int ValidateFiles(IEnumerable<string> paths, TextWriter output)
    {
        var failed = false;
        foreach (var path in paths)
        {
            var result = Load(path);
            foreach (var d in result.Diagnostics) output.WriteLine(d);
            failed |= !result.IsValid;
        }
        return failed ? 1 : 0;
    }

    private static ConfigResult Complete(ConfigResult result)
    {
        if (result.Config is not { } config) return result;
        var lb = LoadBalancerConfigReader.FromExtraDocuments(config.ExtraDocuments);
        var extra = lb.Diagnostics
            .Concat(ConfigServices.Read(config, null, "0").Diagnostics)
            .Concat(NodeBgpSettings.Build(config, lb, NodeLabels.ConfiguredNodeName(config)).Diagnostics)
            .ToList();
        if (SharedJournalRule.Check(config) is { } journal) extra.Add(journal);
        if (extra.Count == 0) return result;
        var all = result.Diagnostics.Concat(extra)
            .OrderBy(d => d.Location.File).ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList();
        return new ConfigResult(all.Any(d => d.IsError) ? null : config, all);
    }
}
