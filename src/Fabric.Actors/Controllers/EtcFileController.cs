using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Etc;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Renders etc/hosts and etc/resolv.conf below a configurable root and writes them atomically.
/// resolv.conf is only written once some layer names resolvers, so a node without any keeps the file it has.</summary>
public sealed class EtcFileController(IActorRef store, string etcRoot) : ControllerActor(store)
{
    protected override string Name => nameof(EtcFileController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } =
        [ResourceTypes.HostnameStatus.Kind, ResourceTypes.ResolverStatus.Kind, ResourceTypes.HostsSpec.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.EtcFileStatus.Kind];

    public static Props Props(IActorRef store, string etcRoot) => Akka.Actor.Props.Create(() => new EtcFileController(store, etcRoot));

    protected override async Task<IReadOnlyCollection<ControllerOutput>> ReconcileAsync(InputView inputs)
    {
        var hostname = inputs.Single<HostnameStatus>(ResourceTypes.HostnameStatus);
        var resolvers = inputs.Single<ResolverStatus>(ResourceTypes.ResolverStatus);
        var hosts = inputs.Single<HostsSpec>(ResourceTypes.HostsSpec);
        var outputs = new List<ControllerOutput>
        {
            await WriteAsync("etc/hosts", EtcFileRenderer.Hosts(hostname, hosts)).ConfigureAwait(false),
        };
        if (resolvers is not null) outputs.Add(await WriteAsync("etc/resolv.conf", EtcFileRenderer.ResolvConf(resolvers)).ConfigureAwait(false));
        return outputs;
    }

    private async Task<ControllerOutput> WriteAsync(string relative, string contents)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contents)));
        var error = "";
        try
        {
            await AtomicFile.WriteIfChangedAsync(Path.Combine(etcRoot, relative), contents).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot write {Path.Combine(etcRoot, relative)}: {e.Message}";
            Log.Error(error);
        }
        return ControllerOutput.Of(ResourceTypes.EtcFileStatus, relative, new EtcFileStatus { Path = relative, Sha256 = hash, Error = error });
    }
}
