using Akka.Actor;
using Akka.Cluster;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Vip.Node;

/// <summary>Publishes cluster membership as MemberState resources, following cluster events.</summary>
public sealed class MembersController : ReceiveActor
{
    public const string OwnerName = "MembersController";

    private readonly IActorRef store;
    private readonly Akka.Cluster.Cluster cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<Address, Member> members = new();
    private readonly HashSet<Address> unreachable = new();
    private readonly HashSet<ResourceKey> published = new();
    private Address? leader;

    public MembersController(IActorRef store)
    {
        this.store = store;
        Receive<ClusterEvent.CurrentClusterState>(s =>
        {
            foreach (var m in s.Members) members[m.Address] = m;
            foreach (var m in s.Unreachable) unreachable.Add(m.Address);
            leader = s.Leader;
            Publish();
        });
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            if (e is ClusterEvent.MemberRemoved) members.Remove(e.Member.Address);
            else members[e.Member.Address] = e.Member;
            Publish();
        });
        Receive<ClusterEvent.UnreachableMember>(e => { unreachable.Add(e.Member.Address); Publish(); });
        Receive<ClusterEvent.ReachableMember>(e => { unreachable.Remove(e.Member.Address); Publish(); });
        Receive<ClusterEvent.LeaderChanged>(e => { leader = e.Leader; Publish(); });
    }

    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new MembersController(store));

    protected override void PreStart() =>
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

    protected override void PostStop() => cluster.Unsubscribe(Self);

    private void Publish()
    {
        var puts = members.Values.Select(m => new Put(Key(m.Address), new MemberState
        {
            Address = m.Address.ToString(), Status = m.Status.ToString(), Reachable = !unreachable.Contains(m.Address),
            IsSelf = m.Address.Equals(cluster.SelfAddress), IsLeader = m.Address.Equals(leader),
        })).ToList();
        var keys = puts.Select(p => p.Key).ToHashSet();
        var gone = published.Where(k => !keys.Contains(k)).ToList();
        published.Clear();
        published.UnionWith(keys);
        store.Tell(new Write(OwnerName, puts, gone), ActorRefs.NoSender);
    }

    private static ResourceKey Key(Address a) => new("cluster", VipResources.Member.Name, a.ToString());
}
