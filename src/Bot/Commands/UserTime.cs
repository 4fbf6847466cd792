using System.Globalization;

namespace PerpGuard.Bot.Commands;

/// <summary>User time zones: IANA names (<c>Europe/Berlin</c>) or fixed offsets (<c>UTC+2</c>, <c>+05:30</c>).</summary>
public static class UserTime
{
    /// <summary>Resolves a time zone as typed; <paramref name="normalized"/> is what gets stored.</summary>
    public static bool TryResolve(string? text, out TimeZoneInfo zone, out string normalized)
    {
        zone = TimeZoneInfo.Utc;
        normalized = "UTC";
        var s = (text ?? "").Trim();
        if (s.Length is 0 or > 64) return false;
        if (s.Equals("UTC", StringComparison.OrdinalIgnoreCase) || s.Equals("GMT", StringComparison.OrdinalIgnoreCase) || s == "Z") return true;
        var offsetText = s.StartsWith("UTC", StringComparison.OrdinalIgnoreCase) || s.StartsWith("GMT", StringComparison.OrdinalIgnoreCase) ? s[3..] : s;
        if (offsetText.Length > 0 && offsetText[0] is '+' or '-')
        {
            if (!TryParseOffset(offsetText, out var offset)) return false;
            normalized = offset == TimeSpan.Zero ? "UTC" : "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
            zone = offset == TimeSpan.Zero ? TimeZoneInfo.Utc : TimeZoneInfo.CreateCustomTimeZone(normalized, offset, normalized, normalized);
            return true;
        }
        if (!s.Contains('/', StringComparison.Ordinal) || !TimeZoneInfo.TryFindSystemTimeZoneById(s, out var found)) return false;
        zone = found;
        normalized = found.Id;
        return true;
    }

    /// <summary>The stored zone, falling back to UTC if the system no longer knows it.</summary>
    public static TimeZoneInfo Find(string stored) => TryResolve(stored, out var zone, out _) ? zone : TimeZoneInfo.Utc;

    /// <summary><c>21:30 UTC+01:00</c> or <c>Mon 21:30 Europe/Berlin</c> when it is not today.</summary>
    public static string Format(DateTimeOffset instant, string storedZone, DateTimeOffset now)
    {
        var zone = Find(storedZone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date == local.Date;
        var name = zone == TimeZoneInfo.Utc ? "UTC" : storedZone;
        return local.ToString(today ? "HH:mm" : "ddd d MMM HH:mm", CultureInfo.InvariantCulture) + " " + name;
    }

    /// <summary>A duration the way people say it: <c>2h 15m</c>, <c>3d 4h</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return $"{Math.Max(0, (int)span.TotalSeconds)}s";
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes}m";
        if (span < TimeSpan.FromDays(1)) return span.Minutes == 0 ? $"{(int)span.TotalHours}h" : $"{(int)span.TotalHours}h {span.Minutes}m";
        return span.Hours == 0 ? $"{(int)span.TotalDays}d" : $"{(int)span.TotalDays}d {span.Hours}h";
    }

    private static bool TryParseOffset(string s, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        var sign = s[0] == '-' ? -1 : 1;
        var body = s[1..];
        int hours, minutes = 0;
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!int.TryParse(body[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out hours) ||
                !int.TryParse(body[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes)) return false;
        }
        else if (!int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out hours)) return false;
        if (hours > 14 || minutes is not (0 or 30 or 45) || hours == 14 && minutes > 0) return false;
        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }
}
