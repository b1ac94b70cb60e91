using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Etc;
using Fabric.Actors.Resources;
using Fabric.Node.Api;

namespace Fabric.Node.Agent;

/// <summary>Holds the running machine config. A new one is validated whole; only a valid one is published, and
/// then written back to the config file so the node comes back with it after a restart. An invalid one changes
/// nothing: the node keeps running on its last good config.</summary>
public sealed class ConfigKeeper : ReceiveActor
{
    public sealed record Apply(string Yaml, string Source);

    private sealed record Persisted(ApplyOutcome Outcome, IActorRef ReplyTo);

    private readonly IActorRef store;
    private readonly string? configPath;
    private long generation;

    public ConfigKeeper(IActorRef store, MachineConfig initial, string? configPath)
    {
        this.store = store;
        this.configPath = configPath;
        Publish(initial, configPath ?? "initial");
        Receive<Apply>(OnApply);
        Receive<Persisted>(p => p.ReplyTo.Tell(p.Outcome));
    }

    public static Props Props(IActorRef store, MachineConfig initial, string? configPath) =>
        Akka.Actor.Props.Create(() => new ConfigKeeper(store, initial, configPath));

    private void OnApply(Apply m)
    {
        var result = FullConfigValidation.Parse(m.Yaml, m.Source);
        if (!result.IsValid)
        {
            Sender.Tell(ApplyOutcome.Rejected(result.Diagnostics.Select(d => d.ToString()).ToArray()));
            return;
        }
        Publish(result.Config!, m.Source);
        var outcome = ApplyOutcome.Accepted(generation, result.Warnings.Select(d => d.ToString()).ToArray());
        if (configPath is null)
        {
            Sender.Tell(outcome);
            return;
        }
        var replyTo = Sender;
        AtomicFile.WriteIfChangedAsync(configPath, m.Yaml)
            .PipeTo(Self, success: _ => new Persisted(outcome, replyTo),
                failure: e => new Persisted(outcome with
                {
                    Diagnostics = [.. outcome.Diagnostics, $"{configPath}: warning: applied, but could not be saved for the next start: {e.Message}"],
                }, replyTo));
    }

    private void Publish(MachineConfig config, string source) =>
        store.Tell(MachineConfigs.Publish(config, ++generation, source), ActorRefs.NoSender);
}

/// <summary>The API's view of the keeper.</summary>
public sealed class ConfigKeeperApplier(IActorRef keeper) : IConfigApplier
{
    public Task<ApplyOutcome> ApplyAsync(string yaml, CancellationToken ct) =>
        keeper.Ask<ApplyOutcome>(new ConfigKeeper.Apply(yaml, "apply"), TimeSpan.FromSeconds(30), ct);
}
