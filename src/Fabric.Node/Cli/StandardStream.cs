using System.Runtime.InteropServices;
using System.Text;

namespace Fabric.Node.Cli;

/// <summary>A TextWriter straight onto file descriptor 1 or 2 with write(2), for `fabric apply`'s few lines.
/// System.Console's set-up (terminal settings, signal handling, encodings) took 5 ms of a ~30 ms command. Like the
/// console: UTF-8, "\n", unbuffered, one shared file offset with whatever else writes to the descriptor (so
/// `> log 2>&1` interleaves instead of overwriting), and a reader that went away (EPIPE) is not an error.</summary>
internal sealed unsafe partial class StandardStream(int fd) : TextWriter
{
    private const int Eintr = 4, Epipe = 32;

    public static TextWriter Output { get; } = new StandardStream(1);
    public static TextWriter Error { get; } = new StandardStream(2);

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> text) => Write(new string(text));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var bytes = TextBytes.Utf8(value);
        fixed (byte* start = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var written = WriteNative(fd, start + done, bytes.Length - done);
                if (written >= 0) { done += (int)written; continue; }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr) continue;
                if (errno == Epipe) return;
                throw new IOException($"writing to file descriptor {fd} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override void WriteLine() => Write("\n");

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int fd, byte* buffer, nint count);
}
