using System.Buffers.Binary;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>The kernel refused a request. Carries errno and the extended-ACK text; the adapter turns it into a
/// <see cref="KernelException"/> once it can name the operation and the object.</summary>
internal sealed class NetlinkError(int errno, string? kernelMessage)
    : Exception(Describe(errno, kernelMessage))
{
    public int Errno { get; } = errno;
    public string? KernelMessage { get; } = kernelMessage;

    public static string Describe(int errno, string? kernelMessage) =>
        string.IsNullOrEmpty(kernelMessage) ? Native.StrError(errno) : $"{Native.StrError(errno)}; kernel says: {kernelMessage}";

    public KernelException For(string operation) => new(Errno, operation, Message);

    /// <summary>Parses an NLMSG_ERROR payload: negative errno, the (capped) request header, then ext-ack TLVs.
    /// Returns null for a plain ACK (errno 0).</summary>
    public static NetlinkError? Parse(in NetlinkMessage message)
    {
        var payload = message.Payload;
        if (payload.Length < 4) throw new NetlinkFormatException($"NLMSG_ERROR truncated: {payload.Length} of 4 bytes");
        var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (error == 0) return null;
        string? text = null;
        if ((message.Flags & Nl.FAckTlvs) != 0 && payload.Length >= 4 + Nl.HeaderSize)
        {
            var echoed = (message.Flags & Nl.FCapped) != 0
                ? Nl.HeaderSize
                : (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
            var start = 4 + Nl.Aligned(echoed);
            if (start <= payload.Length)
            {
                var tlvs = new NetlinkAttrReader(payload[start..]);
                while (tlvs.TryRead(out var a))
                    if (a.Type == 1) text = a.String(); // NLMSGERR_ATTR_MSG
            }
        }
        return new NetlinkError(-error, text);
    }
}
