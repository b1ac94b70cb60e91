using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Actors.Controllers;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Actors.Tests.Controllers;

public sealed class LayerMergeTests : TestKit
{
    private static Put Layered(ResourceType type, string layer, ILayeredSpec spec) =>
        new(new ResourceKey(Namespaces.NetworkConfig, type.Name, Layers.LayeredId(layer, spec.SpecId)), spec, layer);

    [Fact]
    public async Task The_highest_layer_wins_and_link_fields_fill_in_from_lower_layers()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        Sys.ActorOf(MergeController.Props(store, ResourceTypes.LinkSpec));
        Sys.ActorOf(MergeController.Props(store, ResourceTypes.AddressSpec));
        var reader = new StoreReader(store);

        store.Tell(Write.One("defaults", Layered(ResourceTypes.LinkSpec, Layers.Default, new LinkSpec { Name = "eth0", Up = true, Mtu = 1500 })));
        store.Tell(Write.One("config", Layered(ResourceTypes.LinkSpec, Layers.Configuration, new LinkSpec { Name = "eth0", Mtu = 9000 })));
        store.Tell(Write.One("vip", Layered(ResourceTypes.AddressSpec, Layers.Operator, new AddressSpec { Address = "192.0.2.10/32", LinkName = "eth0" })));
        store.Tell(Write.One("config", Layered(ResourceTypes.AddressSpec, Layers.Configuration, new AddressSpec { Address = "192.0.2.10/32", LinkName = "eth0" })));

        var links = await reader.EventuallyAsync(() => reader.ListAsync(ResourceTypes.LinkSpec.Kind),
            l => l.Count == 1 && ((LinkSpec)l[0].Spec).Mtu == 9000, "merged link");
        var link = (LinkSpec)links[0].Spec;
        Assert.True(link.Up);
        Assert.Equal(Layers.Configuration, links[0].Metadata.Layer);

        var addresses = await reader.EventuallyAsync(() => reader.ListAsync(ResourceTypes.AddressSpec.Kind),
            l => l.Count == 1 && l[0].Metadata.Layer == Layers.Configuration, "merged address");
        Assert.Equal("eth0/192.0.2.10/32", addresses[0].Metadata.Id);

        // The configuration layer lets go: the operator layer's spec is what remains.
        store.Tell(new Write("config", [], [new ResourceKey(Namespaces.NetworkConfig, "AddressSpec", "configuration/eth0/192.0.2.10/32")]));
        await reader.EventuallyAsync(() => reader.ListAsync(ResourceTypes.AddressSpec.Kind),
            l => l.Count == 1 && l[0].Metadata.Layer == Layers.Operator, "operator layer left");
    }

    [Fact]
    public void Layers_rank_default_cmdline_platform_operator_configuration()
    {
        Assert.True(Layers.Priority(Layers.Default) < Layers.Priority(Layers.Cmdline));
        Assert.True(Layers.Priority(Layers.Cmdline) < Layers.Priority(Layers.Platform));
        Assert.True(Layers.Priority(Layers.Platform) < Layers.Priority(Layers.Operator));
        Assert.True(Layers.Priority(Layers.Operator) < Layers.Priority(Layers.Configuration));
        Assert.Throws<ArgumentException>(() => Layers.Priority("bogus"));
    }
}
