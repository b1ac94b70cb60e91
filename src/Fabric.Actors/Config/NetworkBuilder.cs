using System.Net;

namespace Fabric.Actors.Config;

/// <summary>Accumulates what the v1alpha1 reader and the document readers find, then cross-checks and freezes it.</summary>
internal sealed class NetworkBuilder(ReadContext context)
{
    private readonly Dictionary<string, Origin> _singles = new();

    public ReadContext Context { get; } = context;
    public List<LinkEntry> Links { get; } = [];
    public List<AddressEntry> Addresses { get; } = [];
    public List<RouteEntry> Routes { get; } = [];
    public List<VipEntry> Vips { get; } = [];
    public List<PortEntry> Ports { get; } = [];

    public string? Hostname { get; set; }
    public List<IPAddress> Nameservers { get; } = [];
    public List<string> SearchDomains { get; } = [];
    public bool DisableSearchDomain { get; set; }
    public List<HostEntry> HostEntries { get; } = [];

    /// <summary>Settings that may appear in both shapes (hostname, resolvers) but must be given once, or the winner is a guess.</summary>
    public bool Claim(string what, Origin origin)
    {
        if (_singles.TryGetValue(what, out var first))
        {
            Context.Error(origin.Location, origin.Path, $"{what} is already set at {first.Location}; set it in one place only");
            return false;
        }
        _singles[what] = origin;
        return true;
    }

    public NetworkConfig Build()
    {
        ResolvePorts();
        new NetworkValidator(this).Run();
        return new NetworkConfig
        {
            Hostname = Hostname,
            Nameservers = Nameservers.ToList(),
            SearchDomains = SearchDomains.ToList(),
            DisableSearchDomain = DisableSearchDomain,
            ExtraHostEntries = HostEntries.ToList(),
            Links = Links.Select(l => l.Definition).ToList(),
            Addresses = Addresses.Select(a => a.Definition).ToList(),
            Routes = Routes.Select(r => r.Definition).ToList(),
            Vips = Vips.Select(v => v.Definition).ToList(),
        };
    }

    /// <summary>Gives each port its master, creating a plain link for ports that are not configured themselves.</summary>
    private void ResolvePorts()
    {
        var assigned = new Dictionary<string, PortEntry>();
        foreach (var port in Ports)
        {
            if (port.Port == port.Master)
            {
                Context.Error(port.Origin.Location, port.Origin.Path, $"{port.Master} cannot be a port of itself");
                continue;
            }
            if (assigned.TryGetValue(port.Port, out var earlier))
            {
                if (earlier.Master != port.Master)
                    Context.Error(port.Origin.Location, port.Origin.Path,
                        $"{port.Port} is already a port of {earlier.Master} ({earlier.Origin.Location}); a link can have only one master");
                continue;
            }
            assigned[port.Port] = port;

            var link = Links.FirstOrDefault(l => l.Definition.Name == port.Port && !l.Implied);
            if (link is null)
                Links.Add(new LinkEntry
                {
                    Definition = new LinkDefinition { Name = port.Port, Master = port.Master, Location = port.Origin.Location },
                    Origin = port.Origin,
                    Implied = true,
                });
            else if (link.Definition.Master is null)
                link.Definition = link.Definition with { Master = port.Master };
        }
    }
}
