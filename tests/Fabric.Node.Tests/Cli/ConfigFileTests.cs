using System.Text;
using Fabric.Node.Cli;

namespace Fabric.Node.Tests.Cli;

/// <summary>What `fabric apply` sends is what File.ReadAllText would have read, as UTF-8.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string path = Path.GetTempFileName();

    public void Dispose() => File.Delete(path);

    private string Sent(byte[] file)
    {
        File.WriteAllBytes(path, file);
        return Encoding.UTF8.GetString(ConfigFile.Read(path).Span);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public void Every_encoding_with_a_byte_order_mark_arrives_as_utf8_text(string encoding)
    {
        const string yaml = "machine:\n  network:\n    hostname: nœud-1 # 😀\n";
        var bytes = encoding switch
        {
            "utf-8" => Encoding.UTF8.GetBytes(yaml),
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(yaml)],
            _ => [.. Encoding.GetEncoding(encoding).GetPreamble(), .. Encoding.GetEncoding(encoding).GetBytes(yaml)],
        };
        Assert.Equal(yaml, Sent(bytes));
        Assert.Equal(File.ReadAllText(path), Sent(bytes));
    }

    [Fact]
    public void A_file_larger_than_the_first_read_buffer_comes_whole()
    {
        var yaml = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"# line {i}\n"));
        Assert.Equal(yaml, Sent(Encoding.UTF8.GetBytes(yaml)));
    }

    [Fact]
    public void Missing_files_and_directories_are_io_errors()
    {
        Assert.Equal("No such file or directory", Assert.Throws<IOException>(() => ConfigFile.Read("/nonexistent/fabric.yaml")).Message);
        Assert.Equal("Is a directory", Assert.Throws<IOException>(() => ConfigFile.Read(Path.GetTempPath())).Message);
    }
}
