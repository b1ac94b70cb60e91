using Fabric.Actors.Config;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Hardware facts the kernel's link messages do not carry (driver, bus path, PCI id).</summary>
public interface ILinkHardware
{
    LinkHardwareInfo Describe(string linkName);
}

public sealed record LinkHardwareInfo(string Driver, string BusPath, string PciId);

/// <summary>Reads them from /sys/class/net/&lt;link&gt;/device, as udev does.</summary>
public sealed class SysfsLinkHardware(string sysRoot = "/sys") : ILinkHardware
{
    public LinkHardwareInfo Describe(string linkName)
    {
        var device = Path.Combine(sysRoot, "class/net", linkName, "device");
        if (!Directory.Exists(device)) return new("", "", "");
        var driver = new DirectoryInfo(Path.Combine(device, "driver")).ResolveLinkTarget(true)?.Name ?? "";
        var busPath = new DirectoryInfo(device).ResolveLinkTarget(true)?.Name ?? "";
        var vendor = Read(Path.Combine(device, "vendor"));
        var product = Read(Path.Combine(device, "device"));
        var pciId = vendor != "" && product != "" ? $"{vendor[2..]}:{product[2..]}".ToUpperInvariant() : "";
        return new(driver, busPath, pciId);
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";
}

/// <summary>Finds the link a Talos deviceSelector means: every field it sets must match; the first match by
/// name wins so the choice is stable.</summary>
public static class DeviceSelectorResolver
{
    public static string? Resolve(DeviceSelector selector, IEnumerable<LinkStatus> links, ILinkHardware hardware)
    {
        foreach (var link in links.OrderBy(l => l.Name, StringComparer.Ordinal))
            if (Matches(selector, link, hardware)) return link.Name;
        return null;
    }

    private static bool Matches(DeviceSelector s, LinkStatus link, ILinkHardware hardware)
    {
        if (s.HardwareAddr is { } mac && !SameMac(mac, link.HardwareAddr)) return false;
        if (s.PermanentAddr is { } perm && !SameMac(perm, link.PermanentAddr)) return false;
        if (s.Physical is { } physical && physical != IsPhysical(link)) return false;
        if (s.Driver is null && s.BusPath is null && s.PciId is null) return true;
        var info = hardware.Describe(link.Name);
        if (s.Driver is { } driver && driver != info.Driver) return false;
        if (s.BusPath is { } bus && !Glob(bus, info.BusPath)) return false;
        if (s.PciId is { } pci && !pci.Equals(info.PciId, StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    private static bool IsPhysical(LinkStatus link) => link.Kind == "" && link.Type == "ether";

    private static bool SameMac(string pattern, string mac) =>
        pattern.Contains('*') ? Glob(pattern.ToLowerInvariant(), mac.ToLowerInvariant()) : pattern.Equals(mac, StringComparison.OrdinalIgnoreCase);

    /// <summary>Talos allows a trailing * in busPath and hardwareAddr.</summary>
    private static bool Glob(string pattern, string value) =>
        pattern.EndsWith('*') ? value.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == value;
}
