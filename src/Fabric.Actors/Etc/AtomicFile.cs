using System.Text;

namespace Fabric.Actors.Etc;

/// <summary>Writes a file so that a reader sees either the old or the new contents, never half of one:
/// write a temporary file beside it, flush it to disk, then rename it over the old one.</summary>
public static class AtomicFile
{
    public static async Task<bool> WriteIfChangedAsync(string path, string contents, CancellationToken ct = default)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path, ct).ConfigureAwait(false) == contents) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.fabric-{Environment.ProcessId}.tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(contents), ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        return true;
    }
}
