namespace Fabric.Node.Tests.Support;

public static class TestFiles
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in <paramref name="dir"/> and returns its path.</summary>
    public static async Task<string> WriteAsync(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
