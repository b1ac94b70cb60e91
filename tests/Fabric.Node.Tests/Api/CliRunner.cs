using System.CommandLine;
using System.Text;
using System.Threading.Channels;
using Fabric.Node.Cli;

namespace Fabric.Node.Tests.Api;

/// <summary>Runs the CLI commands in-process, as Program.cs would mount them, capturing stdout and stderr.</summary>
internal static class CliRunner
{
    public static RootCommand Root() => new("fabric") { GetCommand.Create(), ApplyCommand.Create() };

    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Root().Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts a long-running command (a watch); its output arrives line by line on <see cref="LiveRun.Lines"/>.</summary>
    public static LiveRun Start(params string[] args)
    {
        var lines = new LineWriter();
        var stderr = new StringWriter();
        var cancel = new CancellationTokenSource();
        var exit = Task.Run(() => Root().Parse(args).InvokeAsync(new InvocationConfiguration { Output = lines, Error = stderr }, cancel.Token));
        return new LiveRun(lines, stderr, cancel, exit);
    }
}

internal sealed class LiveRun(LineWriter lines, StringWriter stderr, CancellationTokenSource cancel, Task<int> exit) : IAsyncDisposable
{
    public async Task<string> NextLine()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await lines.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no output line within 10s; stderr: {stderr}");
        }
    }

    public async Task<int> Stop()
    {
        await cancel.CancelAsync();
        return await exit.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (!exit.IsCompleted) await Stop();
        cancel.Dispose();
    }
}

/// <summary>A TextWriter that hands each completed line to a channel, so a test can wait for output as it is printed.</summary>
internal sealed class LineWriter : TextWriter
{
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder current = new();

    public ChannelReader<string> Reader => lines.Reader;
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            lines.Writer.TryWrite(current.ToString().TrimEnd('\r'));
            current.Clear();
        }
        else current.Append(value);
    }
}
