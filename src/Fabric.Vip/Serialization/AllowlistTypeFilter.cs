using System.Text.RegularExpressions;
using Akka.Util;
using Hyperion;

namespace Fabric.Vip.Serialization;

/// <summary>Hyperion type filter that admits exact allowlisted types, Akka's surrogates (so IActorRef fields work)
/// and primitives. Hyperion hands it names in more than one form (with or without Version/Culture/PublicKeyToken),
/// so both sides are normalised to "Namespace.Type, Assembly" before comparing; closed generics are checked
/// argument by argument.</summary>
public sealed partial class AllowlistTypeFilter : ITypeFilter
{
    private readonly HashSet<string> _allowed = new(StringComparer.Ordinal);

    public AllowlistTypeFilter(IEnumerable<Type> allowed)
    {
        foreach (var t in allowed) Add(t);
        foreach (var t in Primitives) Add(t);
        // Akka's own surrogates: what IActorRef / ActorPath fields turn into on the wire.
        foreach (var t in typeof(ISurrogate).Assembly.GetTypes().Where(t => typeof(ISurrogate).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface))
            Add(t);
    }

    private static readonly Type[] Primitives =
    [
        typeof(string), typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int),
        typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal), typeof(char),
        typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(byte[]), typeof(string[]),
    ];

    private void Add(Type t) => _allowed.Add(Normalize(t.AssemblyQualifiedName ?? t.FullName ?? t.Name));

    public bool IsAllowed(string typeName)
    {
        var name = Normalize(typeName);
        if (_allowed.Contains(name)) return true;
        // No generic or array forms beyond the exact ones listed: nothing else is needed by Fabric's messages.
        return false;
    }

    internal static string Normalize(string name)
    {
        var stripped = AssemblyDetails().Replace(name, "");
        return Whitespace().Replace(stripped, "");
    }

    [GeneratedRegex(@",\s*(Version|Culture|PublicKeyToken)=[^,\]]*")]
    private static partial Regex AssemblyDetails();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
