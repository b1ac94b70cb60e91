using System.Text.Json;

namespace Fabric.Actors.Etc;

/// <summary>The links Fabric created, kept in the state dir so that after a restart Fabric still knows which
/// bridges and VLANs are its own to delete, and never deletes one an operator made. Only the link spec
/// controller's reconcile touches it, and reconciles never overlap.</summary>
public sealed class OwnedLinks(string stateDir)
{
    private readonly string path = Path.Combine(stateDir, "owned-links.json");
    private SortedSet<string>? names;

    public async Task<IReadOnlySet<string>> LoadAsync()
    {
        if (names is not null) return names;
        names = File.Exists(path)
            ? new SortedSet<string>(JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(path).ConfigureAwait(false)) ?? [])
            : [];
        return names;
    }

    public async Task AddAsync(string name)
    {
        var set = (SortedSet<string>)await LoadAsync().ConfigureAwait(false);
        if (set.Add(name)) await SaveAsync(set).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string name)
    {
        var set = (SortedSet<string>)await LoadAsync().ConfigureAwait(false);
        if (set.Remove(name)) await SaveAsync(set).ConfigureAwait(false);
    }

    private Task SaveAsync(SortedSet<string> set) => AtomicFile.WriteIfChangedAsync(path, JsonSerializer.Serialize(set.ToArray()));
}
