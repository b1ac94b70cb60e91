using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Fabric.Vip.Tests.LoadBalancer;

/// <summary>A throwaway PostgreSQL 15 server from the Debian binaries: initdb into a temp dir as the postgres user,
/// listening on 127.0.0.1 and a free port, stopped and deleted on Dispose. <see cref="Missing"/> says why it could
/// not start (binaries not installed), so tests can report it instead of failing.</summary>
public sealed class PostgresServer : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _dir;
    public string? Missing { get; }
    public string ConnectionString { get; } = "";

    public PostgresServer()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"fabric-pg-{Guid.NewGuid():N}");
        if (!File.Exists($"{Bin}/initdb") || !File.Exists($"{Bin}/pg_ctl"))
        {
            Missing = $"PostgreSQL 15 binaries not found in {Bin}; install the postgresql-15 package to run these tests";
            return;
        }
        try
        {
            Directory.CreateDirectory(_dir);
            Run("chown", "postgres", _dir);
            var port = FreePort();
            AsPostgres($"{Bin}/initdb -D {_dir}/data -A trust -U postgres --no-sync");
            AsPostgres($"{Bin}/pg_ctl -D {_dir}/data -l {_dir}/log -w -t 30 -o \"-k {_dir} -p {port} -c listen_addresses=127.0.0.1 -c fsync=on\" start");
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A fresh database per test: the allocator's persistence id is fixed, so tests must not share a journal.</summary>
    public string CreateDatabase()
    {
        var name = $"fabric_{Guid.NewGuid():N}";
        using var admin = new NpgsqlConnection(ConnectionString);
        admin.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        create.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    private void AsPostgres(string command) => Run("runuser", "-u", "postgres", "--", "sh", "-c", command);

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(" ", arguments)} failed ({p.ExitCode}): {error}{output.Result}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (Missing is not null) return;
        try { if (File.Exists($"{_dir}/data/postmaster.pid")) AsPostgres($"{Bin}/pg_ctl -D {_dir}/data -m immediate -w stop"); }
        catch { /* the server may already be gone; the directory still goes */ }
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}
