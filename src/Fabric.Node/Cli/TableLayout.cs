using System.Text;

namespace Fabric.Node.Cli;

/// <summary>Aligns rows into columns three spaces apart, as talosctl's tabwriter does. Widths only grow, so a watch can
/// print the snapshot as one aligned block and keep later lines lined up with it.</summary>
internal sealed class TableLayout
{
    private int[] widths = [];

    public void WriteBlock(TextWriter output, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        foreach (var row in rows) Grow(row);
        foreach (var row in rows) output.WriteLine(Format(row));
    }

    public void WriteLine(TextWriter output, IReadOnlyList<string> row)
    {
        Grow(row);
        output.WriteLine(Format(row));
    }

    private void Grow(IReadOnlyList<string> row)
    {
        if (row.Count > widths.Length) Array.Resize(ref widths, row.Count);
        for (var i = 0; i < row.Count; i++) widths[i] = Math.Max(widths[i], row[i].Length);
    }

    private string Format(IReadOnlyList<string> row)
    {
        var line = new StringBuilder();
        for (var i = 0; i < row.Count; i++)
        {
            if (i == row.Count - 1) line.Append(row[i]);
            else line.Append(row[i].PadRight(widths[i] + 3));
        }
        return line.ToString().TrimEnd();
    }
}
