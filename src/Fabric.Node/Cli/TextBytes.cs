using System.Text;

namespace Fabric.Node.Cli;

/// <summary>Text to bytes and back for `fabric apply`, with plain loops for ASCII, which is all it usually handles.
/// System.Text.Encoding's vectorized transcoders are not in the ReadyToRun image (they depend on the CPU's vector
/// width), so their first use compiles them: a few milliseconds a CLI process pays for a few hundred bytes.</summary>
internal static class TextBytes
{
    public static byte[] Utf8(string text)
    {
        if (!IsAscii(text)) return Encoding.UTF8.GetBytes(text);
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
        return bytes;
    }

    /// <summary>HTTP request lines: ASCII by the protocol (a host name with other characters is sent as UTF-8).</summary>
    public static byte[] Ascii(string text) => Utf8(text);

    public static string Utf8(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (b >= 0x80) return Encoding.UTF8.GetString(bytes);
        return Latin1(bytes);
    }

    /// <summary>HTTP header lines: each byte one character.</summary>
    public static string Latin1(ReadOnlySpan<byte> bytes)
    {
        var chars = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
        return new string(chars);
    }

    private static bool IsAscii(string text)
    {
        foreach (var c in text)
            if (c >= 0x80) return false;
        return true;
    }
}
