using System.Text.Json;

namespace Fabric.Node.Cli;

/// <summary>Table output for `get --watch`: a leading column marks "+" created, "*" updated, "-" destroyed. The snapshot
/// is held until the agent says it is complete so the header and snapshot print as one aligned block.</summary>
internal sealed class WatchTable(string node, string typeAlias, TextWriter output)
{
    private readonly TableLayout layout = new();
    private readonly List<(string Event, JsonElement Resource)> snapshot = [];
    private ResourceRows? rows;
    private bool live;

    public static string Marker(string eventName) => eventName switch
    {
        "created" => "+",
        "updated" => "*",
        "destroyed" => "-",
        _ => "?",
    };

    public void Add(string eventName, JsonElement resource)
    {
        if (!live)
        {
            snapshot.Add((eventName, resource));
            return;
        }
        rows ??= StartWith(resource);
        layout.WriteLine(output, [Marker(eventName), .. rows.Row(resource)]);
    }

    public void Bootstrapped()
    {
        live = true;
        rows = ResourceRows.For(node, typeAlias, snapshot.Count > 0 ? snapshot[0].Resource : null);
        // Without known columns and nothing to look at, the header waits for the first event.
        if (rows is null) return;
        layout.WriteBlock(output, [[" ", .. rows.Header()], .. snapshot.Select(s => (IReadOnlyList<string>)[Marker(s.Event), .. rows.Row(s.Resource)])]);
        snapshot.Clear();
    }

    private ResourceRows StartWith(JsonElement first)
    {
        var started = ResourceRows.For(node, typeAlias, first)!;
        layout.WriteLine(output, [" ", .. started.Header()]);
        return started;
    }
}
