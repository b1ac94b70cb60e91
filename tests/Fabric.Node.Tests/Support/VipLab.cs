using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fabric.Node.Tests.Support;

/// <summary>Three Fabric nodes and a client in namespaces on one bridge (in a switch namespace), the nodes forming a
/// cluster that shares VIP 192.0.2.10 on br0 — the lab of deploy/lab, for tests. With a service, every node's config
/// also has an IPAddressPool, an L2Advertisement and a v1 Service of type LoadBalancer asking for 192.0.2.200.</summary>
public sealed class VipLab : IAsyncDisposable
{
    public const string Vip = "192.0.2.10";
    public const string ServiceIp = "192.0.2.200";
    /// <summary>The IPv6 VIP of a lab started with IPv6 (a Layer2VIPConfig document on br0).</summary>
    public const string Vip6 = "2001:db8::10";
    public const string Client6 = "2001:db8::100";

    /// <summary>The load balancer documents a lab with a service adds to every node's config.</summary>
    public const string ServiceDocuments = $$"""
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lab, namespace: metallb-system}
        spec:
          addresses: [192.0.2.200-192.0.2.210]
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lab, namespace: metallb-system}
        spec:
          ipAddressPools: [lab]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: default
          annotations: {metallb.io/loadBalancerIPs: {{ServiceIp}}}
        spec:
          type: LoadBalancer
          ports: [{port: 80, protocol: TCP}]
        """;

    private const string Ipv6VipDocument = $$"""
        ---
        apiVersion: v1alpha1
        kind: Layer2VIPConfig
        name: {{Vip6}}
        link: br0
        """;

    private bool withService;
    private bool withIpv6;
    private readonly string dir = Directory.CreateTempSubdirectory("fabric-viplab-").FullName;
    private readonly int apiPort = 57000 + Random.Shared.Next(0, 2000);

    public NetworkNamespace Switch { get; private set; } = null!;
    public NetworkNamespace Client { get; private set; } = null!;
    public List<NetworkNamespace> Nodes { get; } = [];
    public AgentProcess?[] Agents { get; private set; } = [];

    public static async Task<VipLab> StartAsync(int nodes = 3, bool withService = false, bool withIpv6 = false)
    {
        var lab = new VipLab { withService = withService, withIpv6 = withIpv6 };
        lab.Switch = await NetworkNamespace.CreateAsync("flab");
        await lab.Switch.RunAsync("ip link add br0 type bridge");
        await lab.Switch.RunAsync("ip link set br0 up");
        lab.Client = await lab.AttachAsync("client");
        await lab.Client.RunAsync("ip addr add 192.0.2.100/24 dev eth0");
        if (withIpv6) await lab.Client.RunAsync($"ip addr add {Client6}/64 dev eth0 nodad");
        await lab.Client.RunAsync("ip link set eth0 up");
        lab.Agents = new AgentProcess?[nodes];
        for (var i = 1; i <= nodes; i++) lab.Nodes.Add(await lab.AttachAsync($"n{i}"));
        for (var i = 1; i <= nodes; i++) await lab.StartAgentAsync(i);
        return lab;
    }

    private async Task<NetworkNamespace> AttachAsync(string port)
    {
        var ns = await NetworkNamespace.CreateAsync("flab");
        await Switch.RunAsync($"ip link add p-{port} type veth peer name eth0 netns {ns.Name}");
        await Switch.RunAsync($"ip link set p-{port} master br0 up");
        return ns;
    }

    public string ConfigPath(int node) => Path.Combine(dir, $"node{node}.yaml");

    public async Task StartAgentAsync(int node)
    {
        var seeds = string.Join(", ", Enumerable.Range(1, Nodes.Count).Select(j => $"\"192.0.2.1{j}:4053\""));
        await File.WriteAllTextAsync(ConfigPath(node), $$"""
            version: v1alpha1
            machine:
              network:
                hostname: node{{node}}
                interfaces:
                  - interface: br0
                    bridge: {interfaces: [eth0]}
                    addresses: [192.0.2.1{{node}}/24{{(withIpv6 ? $", 2001:db8::1{node}/64" : "")}}]
                    vip: {ip: {{Vip}}}
            fabric:
              api: {listen: "127.0.0.1:{{apiPort}}"}
              stateDir: {{dir}}/state{{node}}
              etcRoot: {{dir}}/root{{node}}
              cluster: {name: lab, listen: "192.0.2.1{{node}}:4053", seeds: [{{seeds}}]}
              persistence: {provider: sqlite, connectionString: "Data Source={{dir}}/lb-allocator.db"}

            """ + (withService ? ServiceDocuments : "") + (withIpv6 ? Ipv6VipDocument : ""));
        Agents[node - 1] = await AgentProcess.StartAsync(Nodes[node - 1], ConfigPath(node), apiPort);
    }

    /// <summary>The nodes whose agent says it announces the VIP now (or, with "servicel2", the service IP).</summary>
    public async Task<List<int>> OwnersAsync(string what = "vips")
    {
        var owners = new List<int>();
        for (var i = 1; i <= Nodes.Count; i++)
        {
            if (Agents[i - 1] is not { } agent) continue;
            var (code, output) = await agent.CliAsync($"get {what} -o json");
            if (code == 0 && output.Contains("\"announcing\": true")) owners.Add(i);
        }
        return owners;
    }

    public async Task<int> WaitForSingleOwnerAsync(TimeSpan timeout, int? not = null, string what = "vips", int? round = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var owners = await OwnersAsync(what);
            if (owners.Count == 1 && owners[0] != not) return owners[0];
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{(round is { } r ? $"round {r}: " : "")}owners: [{string.Join(",", owners)}] after {timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>The node dies: its agent is killed and its port on the switch goes down, as on power loss.</summary>
    public async Task CrashAsync(int node)
    {
        await Agents[node - 1]!.DisposeAsync();
        Agents[node - 1] = null;
        await Switch.RunAsync($"ip link set p-n{node} down");
    }

    /// <summary>Only the node's agent dies (kill -9, as an OOM kill would): the host, its port and the addresses the
    /// agent put into the kernel stay. <see cref="StartAgentAsync"/> restarts it as a supervisor would.</summary>
    public async Task KillAgentAsync(int node)
    {
        await Agents[node - 1]!.DisposeAsync();
        Agents[node - 1] = null;
    }

    /// <summary>A crashed node comes back: without the runtime addresses it lost, port up, agent started.</summary>
    public async Task ReviveAsync(int node)
    {
        await Nodes[node - 1].RunAsync($"ip addr del {Vip}/32 dev br0", check: false);
        await Nodes[node - 1].RunAsync($"ip addr del {ServiceIp}/32 dev br0", check: false);
        if (withIpv6) await Nodes[node - 1].RunAsync($"ip addr del {Vip6}/128 dev br0", check: false);
        await Switch.RunAsync($"ip link set p-n{node} up");
        await StartAgentAsync(node);
    }

    public Task PartitionAsync(int node) => Switch.RunAsync($"ip link set p-n{node} down");

    public Task HealAsync(int node) => Switch.RunAsync($"ip link set p-n{node} up");

    /// <summary>Pings the VIP from the client every 10 ms while <paramref name="during"/> runs, and returns the longest
    /// run of missing replies in ms (a run that never ended counts to the end of the window).</summary>
    public async Task<int> OutageAsync(Func<Task> during, TimeSpan window, string target = Vip)
    {
        var seconds = (int)Math.Ceiling(window.TotalSeconds);
        var ping = Client.RunAsync($"ping -n -D -i 0.01 -W 0.2 -w {seconds} {target}", check: false);
        await Task.Delay(1000);
        await during();
        var text = await ping;
        var seqs = Regex.Matches(text, @"icmp_seq=(\d+)").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var sent = int.Parse(Regex.Match(text, @"(\d+) packets transmitted").Groups[1].Value);
        if (seqs.Count == 0) return sent * 10;
        var gaps = seqs.Zip(seqs.Skip(1), (a, b) => b - a - 1).Append(sent - seqs[^1]).Append(0);
        return gaps.Max() * 10;
    }

    /// <summary>The distinct MACs that answer ARP for the VIP (or another address) from the client.</summary>
    public async Task<HashSet<string>> ArpResponderMacsAsync(string target = Vip)
    {
        var text = await Client.RunAsync($"arping -c 5 -W 0.05 -i eth0 {target}", check: false);
        return Regex.Matches(text, @"from ([0-9a-f:]{17})").Select(m => m.Groups[1].Value).ToHashSet();
    }

    /// <summary>The MACs answering ONE ARP request for the VIP within 300 ms: two of them means two hosts answer at
    /// the same time (several probes over seconds can also catch a clean hand-over).</summary>
    public async Task<HashSet<string>> ArpRespondersToOneRequestAsync(string target = Vip)
    {
        var text = await Client.RunAsync($"arping -c 1 -C 2 -w 0.3 -i eth0 {target}", check: false);
        return Regex.Matches(text, @"from ([0-9a-f:]{17})").Select(m => m.Groups[1].Value).ToHashSet();
    }

    /// <summary>The distinct MACs that answer the client's neighbour solicitations for the IPv6 VIP: the client forgets
    /// its neighbours and pings, three times a second apart so a slow tshark start misses none, while tshark records
    /// every neighbour advertisement for the VIP.</summary>
    public async Task<HashSet<string>> NdpResponderMacsAsync()
    {
        // One shell inside the client's namespace runs all of it: capture in the background, then solicit.
        var text = await Client.RunAsync(
            $"sh -c 'tshark -i eth0 -n -l -a duration:5 -f icmp6 -Y \"icmpv6.type == 136 && icmpv6.nd.na.target_address == {Vip6}\" " +
            $"-T fields -e eth.src 2>/dev/null & for i in 1 2 3; do sleep 1; ip -6 neigh flush dev eth0; ping -c 1 -W 0.5 {Vip6} >/dev/null; done; wait'",
            check: false);
        return Regex.Matches(text, "[0-9a-f]{2}(:[0-9a-f]{2}){5}").Select(m => m.Value).ToHashSet();
    }

    /// <summary>The node whose br0 MAC alone answers ARP for the VIP from the client; 0 when none or several answer.</summary>
    public async Task<int> ArpOwnerAsync() => await NodeWithMacAsync(await ArpResponderMacsAsync());

    /// <summary>The node whose br0 MAC alone answers neighbour solicitations for the IPv6 VIP; 0 when none or several answer.</summary>
    public async Task<int> NdpOwnerAsync() => await NodeWithMacAsync(await NdpResponderMacsAsync());

    private async Task<int> NodeWithMacAsync(HashSet<string> macs)
    {
        if (macs.Count != 1) return 0;
        for (var i = 1; i <= Nodes.Count; i++)
        {
            // A node's br0 keeps its MAC for the lab's life: read it once.
            if (!br0Macs.TryGetValue(i, out var mac)) br0Macs[i] = mac = await Br0MacAsync(i);
            if (string.Equals(mac, macs.Single(), StringComparison.OrdinalIgnoreCase)) return i;
        }
        return 0;
    }

    private readonly Dictionary<int, string> br0Macs = [];

    /// <summary>The MAC of a node's br0, where the VIP and service IPs live.</summary>
    public async Task<string> Br0MacAsync(int node) =>
        (await Nodes[node - 1].RunAsync("cat /sys/class/net/br0/address")).Trim();

    /// <summary>Timestamps an agent logged for the VIP's lease (acquired, lost), from its own clock.</summary>
    public static IEnumerable<(DateTime At, string What)> LeaseEvents(AgentProcess agent) =>
        Regex.Matches(agent.Log, @"\]\[(\d\d/\d\d/\d{4} [\d:.]+)Z\][^\n]*VIP 192\.0\.2\.10: (acquired|lease at epoch \d+ lost)")
            .Select(m => (DateTime.ParseExact(m.Groups[1].Value, "MM/dd/yyyy HH:mm:ss.fff", null), m.Groups[2].Value.StartsWith("acq") ? "acquired" : "lost"));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in Agents) if (agent is not null) await agent.DisposeAsync();
        foreach (var ns in Nodes) await ns.DisposeAsync();
        if (Client is not null) await Client.DisposeAsync();
        if (Switch is not null) await Switch.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }
}
