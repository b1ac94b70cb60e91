namespace Fabric.Actors.Controllers;

/// <summary>Kernel objects a spec controller asked for whose status has not come back yet. The kernel queues its
/// notification before it acknowledges the request, so the status is on its way; asking again meanwhile only
/// doubles the kernel's work. After a grace period the request is forgotten and made again, in case the object
/// came and went between two looks. Only touched inside reconciles, which never overlap.</summary>
public sealed class InFlightRequests<TKey>(TimeSpan grace) where TKey : notnull
{
    private readonly Dictionary<TKey, DateTime> requested = new();

    public TimeSpan Grace => grace;

    public void Requested(TKey key) => requested[key] = DateTime.UtcNow;

    public void Failed(TKey key) => requested.Remove(key);

    /// <summary>True while the object was asked for recently and its status has not shown up.</summary>
    public bool Pending(TKey key, bool present)
    {
        if (present)
        {
            requested.Remove(key);
            return false;
        }
        if (!requested.TryGetValue(key, out var at)) return false;
        if (DateTime.UtcNow - at < grace) return true;
        requested.Remove(key);
        return false;
    }

    /// <summary>Forget keys nobody wants any more.</summary>
    public void Retain(ISet<TKey> wanted)
    {
        foreach (var key in requested.Keys.Where(k => !wanted.Contains(k)).ToList()) requested.Remove(key);
    }

    public bool Any => requested.Count > 0;
}
