using Akka.Configuration;
using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>The HOCON the allocator needs: Akka.Persistence.Sql as journal and snapshot store (an SQLite file
/// under the state directory by default, PostgreSQL for clusters whose allocator may move between machines) and
/// the binding of its events to <see cref="AllocatorEventSerializer"/>.</summary>
public static class AllocatorPersistence
{
    public const string SqliteFileName = "lb-allocator.db";

    /// <summary>Also sets akka.extensions, without which the SQL plugin's defaults are never loaded ("Plugin class
    /// name must be defined"). A host with its own akka.extensions list must include SqlPersistenceProvider in it.</summary>
    public static Akka.Configuration.Config For(PersistenceSettings? settings, string stateDir)
    {
        settings ??= new PersistenceSettings();
        var (provider, connection) = settings.Provider.ToLowerInvariant() switch
        {
            "sqlite" => ("SQLite.MS", settings.ConnectionString ?? $"Data Source={Path.Combine(stateDir, SqliteFileName)}"),
            "postgresql" or "postgres" => ("PostgreSQL.15", settings.ConnectionString
                ?? throw new ArgumentException("fabric.persistence.connectionString is required for postgresql")),
            var other => throw new ArgumentException($"unknown persistence provider {other}; use sqlite or postgresql"),
        };
        return ConfigurationFactory.ParseString(Hocon(provider, connection));
    }

    public static string Hocon(string providerName, string connectionString)
    {
        var conn = Quote(connectionString);
        var eventType = typeof(AllocatorEvent).AssemblyQualifiedNameShort();
        var snapshotType = typeof(AllocatorSnapshot).AssemblyQualifiedNameShort();
        var serializer = typeof(AllocatorEventSerializer).AssemblyQualifiedNameShort();
        return $$"""
            akka.extensions = ["Akka.Persistence.Sql.SqlPersistenceProvider, Akka.Persistence.Sql"]
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              connection-string = {{conn}}
              provider-name = "{{providerName}}"
              auto-initialize = on
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql {
              connection-string = {{conn}}
              provider-name = "{{providerName}}"
              auto-initialize = on
            }
            akka.actor.serializers.fabric-lb-allocator = "{{serializer}}"
            akka.actor.serialization-bindings {
              "{{eventType}}" = fabric-lb-allocator
              "{{snapshotType}}" = fabric-lb-allocator
            }
            """;
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string AssemblyQualifiedNameShort(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
