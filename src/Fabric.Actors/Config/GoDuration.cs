using System.Globalization;

namespace Fabric.Actors.Config;

/// <summary>Durations as Go writes them (90s, 1m30s, 500ms, 2h), because Talos and BGP operators already use that form.</summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "expected a duration like 90s, 1m30s or 500ms, got an empty value"; return false; }
        if (text == "0") return true;

        double ticks = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return Fail(text, out error);
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.') i++;
            var unit = text[unitStart..i];
            var match = Units.FirstOrDefault(u => u.Unit == unit);
            if (match.Unit is null) return Fail(text, out error);
            ticks += number * match.Ticks;
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return Fail(text, out error);
        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        if (value.Ticks % TimeSpan.TicksPerSecond != 0) return $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
        var parts = "";
        if (value.Hours + value.Days * 24 > 0) parts += $"{(int)value.TotalHours}h";
        if (value.Minutes > 0) parts += $"{value.Minutes}m";
        if (value.Seconds > 0) parts += $"{value.Seconds}s";
        return parts;
    }

    private static bool Fail(string text, out string error)
    {
        error = $"\"{text}\" is not a duration; write it like 90s, 1m30s, 500ms or 2h";
        return false;
    }
}
