using Akka.Actor;
using Akka.Configuration;
using Fabric.Actors.Scheduling;

namespace Fabric.Node.Agent;

/// <summary>The one place the agent's Akka configuration is written.</summary>
public static class AkkaBootstrap
{
    public const string SystemName = "fabric";

    /// <summary>FABRIC_LOG_LEVEL=DEBUG shows, among others, how long each controller's reconcile takes.</summary>
    /// <summary>The scheduler is Fabric's own: Akka's default one ticks every 10 ms even with nothing to do.</summary>
    public static Config BaseConfig() => ConfigurationFactory.ParseString(TimerQueueScheduler.Hocon).WithFallback(ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = {{Environment.GetEnvironmentVariable("FABRIC_LOG_LEVEL") ?? "INFO"}}
          stdout-loglevel = WARNING
          log-dead-letters = 0
          log-dead-letters-during-shutdown = off
          # The agent stops Akka itself on SIGTERM, after releasing what it holds.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          actor.ask-timeout = 5s
        }
        """));

    public static ActorSystem Create(Config? extra = null, string name = SystemName) =>
        ActorSystem.Create(name, extra is null ? BaseConfig() : extra.WithFallback(BaseConfig()));
}
