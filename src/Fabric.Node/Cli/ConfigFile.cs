using System.Runtime.InteropServices;
using System.Text;

namespace Fabric.Node.Cli;

/// <summary>A config file as `fabric apply` sends it: UTF-8, without a byte order mark. A UTF-8 file goes as its
/// bytes are, with no decoding and encoding again (which compiled the runtime's vectorized transcoders in every CLI
/// run); the agent decodes the body as UTF-8, so invalid bytes become U+FFFD there exactly as they would here. A
/// UTF-16 or UTF-32 file (marked by its BOM) is decoded and sent as UTF-8.</summary>
internal static unsafe partial class ConfigFile
{
    private const int OReadOnly = 0, OCloexec = 0x80000, Eintr = 4;

    public static ReadOnlyMemory<byte> Read(string path)
    {
        var bytes = ReadAll(path);
        if (bytes.Span is [0xEF, 0xBB, 0xBF, ..]) return bytes[3..];
        if (bytes.Span is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0, 0, 0xFE, 0xFF, ..])
        {
            // The same detection File.ReadAllText makes; UTF-32 LE starts with FF FE too, and the reader tells them apart.
            using var reader = new StreamReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Encoding.UTF8.GetBytes(reader.ReadToEnd());
        }
        return bytes;
    }

    /// <summary>open(2) and read(2): File's own machinery cost the CLI 4 ms of type loading for one small file.</summary>
    private static ReadOnlyMemory<byte> ReadAll(string path)
    {
        var fd = Open(path, OReadOnly | OCloexec);
        if (fd < 0) throw Failure();
        try
        {
            var buffer = new byte[128 * 1024];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                nint read;
                fixed (byte* at = &buffer[length]) read = ReadNative(fd, at, buffer.Length - length);
                if (read > 0) { length += (int)read; continue; }
                if (read == 0) return buffer.AsMemory(0, length);
                if (Marshal.GetLastPInvokeError() != Eintr) throw Failure();
            }
        }
        finally
        {
            CloseNative(fd);
        }
    }

    private static IOException Failure()
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadNative(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseNative(int fd);
}
