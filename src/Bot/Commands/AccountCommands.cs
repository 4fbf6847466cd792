using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Alerts;
using PerpGuard.Core.Text;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Commands;

/// <summary><c>/start</c>, <c>/help</c>, <c>/settings</c>, <c>/mute</c>, <c>/unmute</c> and <c>/status</c>.</summary>
public sealed class AccountCommands(BotInfo info, MarketState market, IOptions<MarketOptions> marketOptions, IOptions<AlertOptions> alertOptions, ReplayScenario? replay = null)
{
    /// <summary>Longest mute.</summary>
    public static readonly TimeSpan MaxMute = TimeSpan.FromDays(30);

    /// <summary><c>/start</c>: (re)activates the user and shows where to begin.</summary>
    public static async Task<Reply> StartAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var wasStopped = c.User.InactiveReason;
        c.User.IsActive = true;
        c.User.InactiveReason = null;
        c.User.InactiveSince = null;
        await c.Db.SaveChangesAsync(cancellationToken);
        var name = string.IsNullOrWhiteSpace(c.User.DisplayName) ? "" : $", {c.User.DisplayName}";
        return Reply.Of(ReplyTone.Info, $"Welcome to PerpGuard{name}. I compute where each venue would liquidate your perpetual positions and warn you before price gets there.",
            new ReplyLine("1", "Track a position: /add binance BTCUSDT long 0.5 @ 60000 x20"),
            new ReplyLine("2", "See them all with liquidation and distance: /positions"),
            new ReplyLine("3", "Full risk card: /risk <id>   ·   one-off math without saving: /liq ..."),
            new ReplyLine("4", $"Your default venue is {c.User.DefaultVenue.Name()} and your time zone {c.User.TimeZone}: /settings to change them."),
            new ReplyLine(null, wasStopped is null ? "Every command: /help" : $"Push alerts had stopped ({wasStopped}); they are on again. Every command: /help"));
    }

    /// <summary><c>/help [command]</c>.</summary>
    public static Reply Help(CommandContext c)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count == 0)
        {
            return new Reply
            {
                Headline = "PerpGuard commands (/help <command> for details and examples)",
                Sections = [new ReplySection(null, [.. CommandCatalog.All.Select(s => new ReplyLine(s.Usage.Split(' ')[0], s.Summary))])],
            };
        }
        var name = tokens[0].TrimStart('/').ToLowerInvariant();
        if (!CommandCatalog.TryFind(name, out var spec))
        {
            var suggestion = CommandCatalog.Suggest(name);
            return Reply.Text(ReplyTone.Error, $"There is no /{CommandText.Shorten(name)} command.{(suggestion is null ? "" : $" Did you mean /{suggestion}?")} Send /help to see them all.");
        }
        var lines = new List<ReplyLine> { new("Form", spec.Usage) };
        if (spec.Aliases.Length > 0) lines.Add(new("Aliases", string.Join(", ", spec.Aliases.Select(a => "/" + a))));
        lines.AddRange(spec.Notes.Select(n => new ReplyLine(null, n)));
        lines.AddRange(spec.Examples.Select(e => new ReplyLine("Example", e)));
        return Reply.Of(ReplyTone.Info, $"/{spec.Name}: {spec.Summary}", lines);
    }

    /// <summary><c>/settings</c> shows every effective value; <c>/settings &lt;name&gt; &lt;value&gt;</c> changes one.</summary>
    public async Task<Reply> SettingsAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count == 0) return await ShowAsync(c, "Your settings (/settings <name> <value> changes one)", ReplyTone.Info, cancellationToken);
        var name = tokens[0].ToLowerInvariant().Replace('-', '_');
        var value = string.Join(' ', tokens.Skip(1));
        if (value.Length == 0) return c.Wrong(new ArgumentError(CommandText.Shorten(name), "needs a value"));
        var a = c.User.Alerts;
        ArgumentError? error = null;
        switch (name)
        {
            case "timezone" or "tz" or "time_zone":
                if (UserTime.TryResolve(value, out _, out var zone)) c.User.TimeZone = zone;
                else error = new("timezone", $"'{CommandText.Shorten(value)}' is not a time zone; write an IANA name such as Europe/Berlin or an offset such as UTC+2");
                break;
            case "venue" or "default_venue":
                if (VenueRules.TryParseVenue(value, out var venue)) c.User.DefaultVenue = venue;
                else error = new("venue", $"'{CommandText.Shorten(value)}' is not a venue; use binance, bybit, hyperliquid or okx");
                break;
            case "alert_levels" or "levels":
                if (TryParseLevels(tokens.Skip(1), out var levels, out var problem)) a.Levels = levels;
                else error = new("alert_levels", problem);
                break;
            case "hit_chance":
                if (TryParsePercent(value, 0, 100, out var hit)) a.HitChance = hit;
                else error = new("hit_chance", $"'{CommandText.Shorten(value)}' is not a percentage above 0% and up to 100%");
                break;
            case "funding_share" or "funding":
                if (TryParsePercent(value, 0, 1000, out var share)) a.FundingShare = share;
                else error = new("funding_share", $"'{CommandText.Shorten(value)}' is not a percentage above 0% and up to 1000%");
                break;
            case "quiet_hours" or "quiet":
                if (IsOff(value)) (a.QuietFrom, a.QuietTo) = (null, null);
                else if (TryParseWindow(value, out var from, out var to)) (a.QuietFrom, a.QuietTo) = (from, to);
                else error = new("quiet_hours", $"'{CommandText.Shorten(value)}' is not a window; write 23:00-07:00 (crossing midnight is fine) or off");
                break;
            case "daily_cap" or "cap":
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var cap) && cap is >= 1 and <= 500) a.DailyCap = cap;
                else error = new("daily_cap", $"'{CommandText.Shorten(value)}' is not a whole number from 1 to 500");
                break;
            case "quiet_critical":
                if (TryParseSwitch(value, out var on)) a.CriticalInQuietHours = on;
                else error = new("quiet_critical", $"'{CommandText.Shorten(value)}' is not on or off");
                break;
            default:
                return c.Wrong(new ArgumentError(CommandText.Shorten(name), "is not a setting; use timezone, venue, alert_levels, hit_chance, funding_share, quiet_hours, quiet_critical or daily_cap"));
        }
        if (error is not null) return c.Wrong(error);
        await c.Db.SaveChangesAsync(cancellationToken);
        return await ShowAsync(c, "Saved. Your settings now:", ReplyTone.Success, cancellationToken);
    }

    /// <summary><c>/mute &lt;duration&gt;</c>.</summary>
    public static async Task<Reply> MuteAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count != 1) return c.Wrong(new ArgumentError("duration", tokens.Count == 0 ? "is missing" : "must be one value such as 2h"));
        if (!CommandText.TryDuration(tokens[0], MaxMute, "30m, 2h or 1d", out var span, out var problem)) return c.Wrong(new ArgumentError("duration", problem));
        c.User.MutedUntil = c.Now + span;
        await c.Db.SaveChangesAsync(cancellationToken);
        return Reply.Text(ReplyTone.Success, $"Push alerts muted for {UserTime.Duration(span)}, until {UserTime.Format(c.User.MutedUntil.Value, c.User.TimeZone, c.Now)}. /unmute resumes them.");
    }

    /// <summary><c>/unmute</c>.</summary>
    public static async Task<Reply> UnmuteAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var wasMuted = c.User.MutedUntil > c.Now;
        c.User.MutedUntil = null;
        await c.Db.SaveChangesAsync(cancellationToken);
        return Reply.Text(ReplyTone.Success, wasMuted ? "Push alerts are on again." : "Push alerts were not muted; they are on.");
    }

    /// <summary><c>/status</c>: version, uptime, your counts, and market-data freshness per venue.</summary>
    public async Task<Reply> StatusAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var positions = await c.Db.Positions.CountAsync(p => p.OwnerId == c.User.Id, cancellationToken);
        var lines = new List<ReplyLine>
        {
            new("Version", info.Version),
            new("Uptime", $"{UserTime.Duration(c.Now - info.StartedAt)} (since {UserTime.Format(info.StartedAt, c.User.TimeZone, c.Now)})"),
            new("Positions", positions.ToString(CultureInfo.InvariantCulture)),
            new("Alerts", Muted(c.User, c.Now)),
            new("Delivery", c.User.IsActive ? $"on ({c.User.Platform})"
                : $"STOPPED since {(c.User.InactiveSince is { } since ? UserTime.Format(since, c.User.TimeZone, c.Now) : "?")}: {c.User.InactiveReason ?? "stopped"}; send /start to resume"),
        };
        var outbox = await c.Db.Alerts.Where(a => a.OwnerId == c.User.Id && (a.Status == AlertStatus.Pending || a.Status == AlertStatus.Held || a.Status == AlertStatus.Failed))
            .GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        if (outbox.Count > 0)
            lines.Add(new("Outbox", string.Join(", ", outbox.OrderBy(o => o.Key).Select(o => $"{o.Count} {o.Key.ToString().ToLowerInvariant()}")) + " (/alerts)"));
        var o = marketOptions.Value;
        lines.Add(new ReplyLine("Market", replay is not null
            ? $"replay {replay.Header.Name}, scenario time {c.Now:yyyy-MM-dd HH:mm} UTC"
            : o.Poll ? $"live: prices every {UserTime.Duration(o.PricesEvery)}, OI and book every {UserTime.Duration(o.DepthEvery)}, bars every {UserTime.Duration(o.BarsEvery)}; stale after {UserTime.Duration(o.StaleAfter)}"
            : "polling is off (Market:Poll=false)"));
        var keys = market.Keys;
        foreach (var venue in Enum.GetValues<Venue>())
        {
            var mine = keys.Where(k => k.Venue == venue).ToList();
            if (mine.Count == 0) lines.Add(new ReplyLine(venue.Name(), MarketGaps.NoFreshness));
            foreach (var key in mine.Take(MaxStatusSymbols)) lines.Add(new ReplyLine($"{venue.Name()} {key.Symbol}", Freshness(market.View(key))));
            if (mine.Count > MaxStatusSymbols) lines.Add(new ReplyLine(venue.Name(), $"and {mine.Count - MaxStatusSymbols} more symbols"));
        }
        return Reply.Of(ReplyTone.Info, "PerpGuard status", lines);
    }

    private const int MaxStatusSymbols = 12;

    // "prices 12 s ago · oi 25 s ago · book STALE: 5 min ago · ... (last error: ...)"
    private static string Freshness(MarketView view)
    {
        var parts = view.Feeds.Values.Where(f => f.DataTime is not null || f.LastError is not null)
            .Select(f => $"{FeedName(f.Feed)} {(f.Age is { } age ? (f.Stale ? "STALE " : "") + MarketText.Age(age) : "n/a")}");
        var error = view.Feeds.Values.Select(f => f.LastError).FirstOrDefault(e => e is not null);
        return string.Join(" · ", parts) + (error is null ? "" : $" (last error: {error})");
    }

    private static string FeedName(MarketFeed feed) => feed switch
    {
        MarketFeed.OpenInterest => "OI",
        _ => feed.ToString().ToLowerInvariant(),
    };

    private async Task<Reply> ShowAsync(CommandContext c, string headline, ReplyTone tone, CancellationToken cancellationToken)
    {
        var u = c.User;
        var a = u.Alerts;
        var o = alertOptions.Value;
        return Reply.Of(tone, headline,
            new ReplyLine("timezone", u.TimeZone),
            new ReplyLine("venue", u.DefaultVenue.Name()),
            new ReplyLine("alert_levels", string.Join(" ", a.Levels.Select(Percent)) + " from liquidation"),
            new ReplyLine("hit_chance", Percent(a.HitChance) + " within 24h"),
            new ReplyLine("funding_share", Percent(a.FundingShare) + " of margin over 24h"),
            new ReplyLine("quiet_hours", a.QuietFrom is { } f && a.QuietTo is { } t ? $"{f:HH\\:mm}-{t:HH\\:mm} {u.TimeZone}" : "off"),
            new ReplyLine("quiet_critical", a.CriticalInQuietHours ? "on (critical alerts break through quiet hours)" : "off (quiet hours hold everything)"),
            new ReplyLine("daily_cap", $"{a.DailyCap} non-critical alerts a day, then a summary every {UserTime.Duration(o.CapSummaryEvery)} (critical ones are never capped)"),
            new ReplyLine("muted", $"all alerts {Muted(u, c.Now)} · symbols: {await AlertCommands.MutedTextAsync(c.Db, u, c.Now, cancellationToken)}"),
            new ReplyLine("policy", $"cooldown distance {UserTime.Duration(o.DistanceCooldown)}, hit chance {UserTime.Duration(o.HitChanceCooldown)}, cascade {UserTime.Duration(o.CascadeCooldown)}, " +
                $"funding {UserTime.Duration(o.FundingCooldown)} (escalation never waits); critical reminder every {UserTime.Duration(o.CriticalRepeat)}; " +
                $"re-arm {Percent(o.Hysteresis)} past a level; stale-data notice after {UserTime.Duration(o.StaleNoticeAfter)}"));
    }

    private static string Muted(ChatUser u, DateTimeOffset now) =>
        u.MutedUntil is { } until && until > now ? $"muted until {UserTime.Format(until, u.TimeZone, now)}" : "on";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    // Percentages as typed: "20%", "20" (percent), "1.5k" is not a percentage.
    private static bool TryParsePercent(string text, double min, double max, out double fraction)
    {
        fraction = 0;
        var s = text.Trim().TrimEnd('%');
        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)) return false;
        if (!(percent > min && percent <= max)) return false;
        fraction = percent / 100;
        return true;
    }

    private static bool TryParseLevels(IEnumerable<string> tokens, out double[] levels, out string problem)
    {
        levels = [];
        problem = "";
        var parts = tokens.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (parts.Count is 0 or > 6)
        {
            problem = "give 1 to 6 percentages, e.g. 20% 10% 5% 2%";
            return false;
        }
        var values = new List<double>();
        foreach (var part in parts)
        {
            if (!TryParsePercent(part, 0, 99, out var v))
            {
                problem = $"'{CommandText.Shorten(part)}' is not a percentage above 0% and below 100%";
                return false;
            }
            values.Add(v);
        }
        if (values.Distinct().Count() != values.Count)
        {
            problem = "has the same level twice";
            return false;
        }
        levels = [.. values.OrderDescending()];
        return true;
    }

    private static bool TryParseWindow(string text, out TimeOnly from, out TimeOnly to)
    {
        from = to = default;
        var parts = text.Replace(" ", "", StringComparison.Ordinal).Split('-');
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], ["H:mm", "HH:mm", "H"], CultureInfo.InvariantCulture, DateTimeStyles.None, out from)
            && TimeOnly.TryParseExact(parts[1], ["H:mm", "HH:mm", "H"], CultureInfo.InvariantCulture, DateTimeStyles.None, out to)
            && from != to;
    }

    private static bool TryParseSwitch(string text, out bool on)
    {
        on = text.ToLowerInvariant() is "on" or "yes" or "true" or "1";
        return on || IsOff(text);
    }

    private static bool IsOff(string text) => text.ToLowerInvariant() is "off" or "no" or "false" or "0" or "none";
}
