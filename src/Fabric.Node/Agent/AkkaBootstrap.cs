using Akka.Actor;
using Akka.Configuration;

namespace Fabric.Node.Agent;

/// <summary>The one place the agent's Akka configuration is written.</summary>
public static class AkkaBootstrap
{
    public const string SystemName = "fabric";

    public static Config BaseConfig() => ConfigurationFactory.ParseString("""
        akka {
          loglevel = INFO
          stdout-loglevel = WARNING
          log-dead-letters = 0
          log-dead-letters-during-shutdown = off
          # The agent stops Akka itself on SIGTERM, after releasing what it holds.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          actor.ask-timeout = 5s
        }
        """);

    public static ActorSystem Create(Config? extra = null) =>
        ActorSystem.Create(SystemName, extra is null ? BaseConfig() : extra.WithFallback(BaseConfig()));
}
