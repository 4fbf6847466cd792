using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Alerts;

namespace PerpGuard.Bot.Alerts;

/// <summary>What happens to a decided alert before it reaches the channel.</summary>
/// <param name="Status">Pending (send now), Held (digest later) or Suppressed (muted).</param>
/// <param name="Reason">Why it is held or suppressed.</param>
/// <param name="ReleaseAt">When a held alert goes out in a digest.</param>
/// <param name="Counted">Whether it counts against the daily cap.</param>
public readonly record struct GateDecision(AlertStatus Status, string? Reason, DateTimeOffset? ReleaseAt, bool Counted);

/// <summary>
/// The user-level policy applied to each alert: mutes (symbol and global) suppress, quiet hours hold non-critical
/// alerts for one digest at the end of the window (critical ones break through unless the user opted out), and past
/// the daily cap non-critical alerts are held and summarized every <c>capEvery</c>. Critical alerts are never capped:
/// a liquidation warning is the one message that must always arrive.
/// </summary>
public static class DeliveryGate
{
    /// <summary>Prefix of the reason of alerts held for quiet hours.</summary>
    public const string QuietReason = "quiet hours";
    /// <summary>Prefix of the reason of alerts held over the daily cap.</summary>
    public const string CapReason = "over the daily cap";

    /// <summary>Decides one alert for <paramref name="user"/> at <paramref name="now"/>.</summary>
    public static GateDecision Decide(BookUser user, string asset, AlertSeverity severity, DateTimeOffset now, TimeSpan capEvery)
    {
        ArgumentNullException.ThrowIfNull(user);
        var u = user.User;
        if (user.MutedAssets.TryGetValue(asset, out var until) && (until is null || until > now))
            return new(AlertStatus.Suppressed, until is { } t ? $"{asset} muted until {UserTime.Format(t, u.TimeZone, now)}" : $"{asset} muted (/unmute {asset})", null, false);
        if (u.MutedUntil is { } mutedUntil && mutedUntil > now)
            return new(AlertStatus.Suppressed, $"all alerts muted until {UserTime.Format(mutedUntil, u.TimeZone, now)}", null, false);
        var critical = severity == AlertSeverity.Critical;
        if ((!critical || !u.Alerts.CriticalInQuietHours) && QuietEnd(user, now) is { } end)
            return new(AlertStatus.Held, $"{QuietReason} until {UserTime.Format(end, u.TimeZone, now)}", end, false);
        if (critical) return new(AlertStatus.Pending, null, null, false);
        var day = AlertBook.DayOf(user, now);
        if (day != user.Day)
        {
            user.Day = day;
            user.CountedToday = 0;
        }
        if (user.CountedToday >= u.Alerts.DailyCap)
        {
            var release = NextBoundary(now, capEvery);
            return new(AlertStatus.Held, $"{CapReason} of {u.Alerts.DailyCap}; summarized at {UserTime.Format(release, u.TimeZone, now)}", release, false);
        }
        return new(AlertStatus.Pending, null, null, true);
    }

    /// <summary>The end of the quiet window <paramref name="now"/> is in, or null outside it.</summary>
    public static DateTimeOffset? QuietEnd(BookUser user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.User.Alerts.QuietFrom is not { } from || user.User.Alerts.QuietTo is not { } to) return null;
        var local = TimeZoneInfo.ConvertTime(now, user.Zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var inside = from < to ? time >= from && time < to : time >= from || time < to;
        if (!inside) return null;
        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (time >= to) endDate = endDate.AddDays(1);
        var endLocal = endDate.ToDateTime(to);
        return new DateTimeOffset(endLocal, user.Zone.GetUtcOffset(endLocal));
    }

    private static DateTimeOffset NextBoundary(DateTimeOffset now, TimeSpan every)
    {
        var ticks = now.UtcTicks - now.UtcTicks % every.Ticks + every.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
