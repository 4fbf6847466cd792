using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Alerts;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Text;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Commands;

/// <summary><c>/alerts</c>, <c>/snooze</c>, and <c>/mute</c> / <c>/unmute</c> for all alerts or one symbol.</summary>
public sealed class AlertCommands(AlertEngine engine)
{
    /// <summary>Alerts <c>/alerts</c> lists by default.</summary>
    public const int DefaultHistory = 15;
    /// <summary>Most alerts <c>/alerts</c> lists.</summary>
    public const int MaxHistory = 50;
    /// <summary>Longest snooze.</summary>
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(7);

    // What a snooze or a symbol mute suggests when its duration is wrong (the buttons' durations).
    private const string SnoozeExamples = "1h, 4h or 24h";

    /// <summary><c>/alerts [n]</c>: the recent history, newest first, with what happened to each.</summary>
    public static async Task<Reply> HistoryAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        var count = DefaultHistory;
        if (tokens.Count > 1) return c.Wrong("Give at most one number, e.g. /alerts 30.");
        if (tokens.Count == 1 && (!int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxHistory))
            return c.Wrong(new ArgumentError("count", $"'{CommandText.Shorten(tokens[0])}' is not a number from 1 to {MaxHistory}"));
        var rows = await c.Db.Alerts.AsNoTracking().Where(a => a.OwnerId == c.User.Id).OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return Reply.Of(ReplyTone.Info, "No alerts yet.", new ReplyLine("What alerts", "liquidation distance (your /settings alert_levels), hit chance, cascade risk, funding, your /rules, and stale data for what you hold"));
        var pending = await c.Db.Alerts.CountAsync(a => a.OwnerId == c.User.Id && a.Status == AlertStatus.Pending, cancellationToken);
        var held = await c.Db.Alerts.CountAsync(a => a.OwnerId == c.User.Id && a.Status == AlertStatus.Held, cancellationToken);
        var lines = rows.Select(r => new ReplyLine($"{r.Id} · {UserTime.Format(r.CreatedAt, c.User.TimeZone, c.Now)}", $"{r.Summary} · {Outcome(r)}")).ToList();
        var headline = $"Your last {rows.Count} alert{(rows.Count == 1 ? "" : "s")}, newest first" +
            (pending + held > 0 ? $" ({pending} waiting to be sent, {held} held for a digest)" : "");
        return new Reply
        {
            Headline = headline,
            Sections = [new ReplySection(null, lines), new ReplySection(null, [new ReplyLine("Snooze one", "/snooze <id> 1h|4h|24h"), new ReplyLine("Mute a symbol", "/mute BTC 24h")])],
        };
    }

    private static string Outcome(AlertRecord r) => r.Status switch
    {
        AlertStatus.Sent => r.Kind is null ? "digest sent" : "sent",
        AlertStatus.Pending => r.Attempts > 0 ? $"retrying ({r.LastError})" : "waiting to be sent",
        AlertStatus.Held => $"held: {r.Reason}",
        AlertStatus.Digested => $"sent in digest {r.DigestId}",
        AlertStatus.Suppressed => $"not sent: {r.Reason}",
        AlertStatus.Failed => $"FAILED: {r.LastError}",
        _ => r.Status.ToString(),
    };

    /// <summary><c>/snooze &lt;alert id&gt; &lt;duration&gt;</c>: holds that alert's repeats and re-fires; escalation still comes through.</summary>
    public async Task<Reply> SnoozeAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count == 0) return c.Wrong(new ArgumentError("id", "is missing; /alerts shows the ids"));
        if (!long.TryParse(tokens[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            return c.Wrong(new ArgumentError("id", $"'{CommandText.Shorten(tokens[0])}' is not an alert id; /alerts shows them"));
        if (tokens.Count == 1) return c.Wrong(new ArgumentError("duration", "is missing: 1h, 4h or 24h"));
        if (tokens.Count > 2) return c.Wrong("Give one alert id and one duration.");
        if (!CommandText.TryDuration(tokens[1], MaxSnooze, SnoozeExamples, out var span, out var problem)) return c.Wrong(new ArgumentError("duration", problem));
        var until = c.Now + span;
        var alert = await engine.SnoozeAsync(c.Db, c.User.Id, id, until, cancellationToken);
        if (alert is null) return Reply.Text(ReplyTone.Error, $"No alert {id} of yours can be snoozed (a digest cannot). /alerts shows your alerts.");
        return Reply.Of(ReplyTone.Success, $"Snoozed until {UserTime.Format(until, c.User.TimeZone, c.Now)}: {alert.Summary}",
            new ReplyLine("Still comes", "an escalation above this level (e.g. closer to liquidation)"),
            new ReplyLine("Undo", $"/snooze {id} 1m"));
    }

    /// <summary><c>/mute &lt;duration&gt;</c> (all alerts) or <c>/mute &lt;symbol&gt; [duration]</c> (one asset on every venue).</summary>
    public static async Task<Reply> MuteAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count == 0 || tokens.Count == 1 && IsDuration(tokens[0])) return await AccountCommands.MuteAsync(c, cancellationToken);
        if (tokens.Count > 2) return c.Wrong("Give a duration, or a symbol and an optional duration.");
        var symbol = tokens[0];
        if (!await KnownAsync(c, symbol, cancellationToken))
            return c.Wrong(new ArgumentError("duration|symbol", $"'{CommandText.Shorten(symbol)}' is neither a duration (30m, 2h, 1d) nor a symbol you hold, have rules for, or PerpGuard knows"));
        var asset = AlertBook.AssetOf(symbol);
        DateTimeOffset? until = null;
        if (tokens.Count == 2)
        {
            if (!CommandText.TryDuration(tokens[1], AccountCommands.MaxMute, SnoozeExamples, out var span, out var problem)) return c.Wrong(new ArgumentError("duration", problem));
            until = c.Now + span;
        }
        var row = await c.Db.MutedSymbols.FirstOrDefaultAsync(m => m.OwnerId == c.User.Id && m.Asset == asset, cancellationToken);
        if (row is null) c.Db.MutedSymbols.Add(row = new MutedSymbol { OwnerId = c.User.Id, Asset = asset });
        row.Until = until;
        await c.Db.SaveChangesAsync(cancellationToken);
        return Reply.Text(ReplyTone.Success, until is { } t
            ? $"{asset} alerts muted on every venue until {UserTime.Format(t, c.User.TimeZone, c.Now)}. /unmute {asset} resumes them."
            : $"{asset} alerts muted on every venue until you /unmute {asset}.");
    }

    /// <summary><c>/unmute</c> (all alerts and every symbol) or <c>/unmute &lt;symbol&gt;</c>.</summary>
    public static async Task<Reply> UnmuteAsync(CommandContext c, CancellationToken cancellationToken)
    {
        var tokens = c.Command.Tokens;
        if (tokens.Count > 1) return c.Wrong("Give at most one symbol.");
        if (tokens.Count == 0)
        {
            var symbols = await c.Db.MutedSymbols.Where(m => m.OwnerId == c.User.Id).ExecuteDeleteAsync(cancellationToken);
            var reply = await AccountCommands.UnmuteAsync(c, cancellationToken);
            return symbols == 0 ? reply : reply with { Headline = $"{reply.Headline} {symbols} muted symbol{(symbols == 1 ? " is" : "s are")} unmuted too." };
        }
        var asset = AlertBook.AssetOf(tokens[0]);
        var removed = await c.Db.MutedSymbols.Where(m => m.OwnerId == c.User.Id && m.Asset == asset).ExecuteDeleteAsync(cancellationToken);
        return removed > 0
            ? Reply.Text(ReplyTone.Success, $"{asset} alerts are on again.")
            : Reply.Text(ReplyTone.Info, $"{CommandText.Shorten(asset)} was not muted.");
    }

    /// <summary>The symbols a user muted, for /settings and /status.</summary>
    public static async Task<string> MutedTextAsync(PerpGuardDbContext db, ChatUser user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        var muted = (await db.MutedSymbols.AsNoTracking().Where(m => m.OwnerId == user.Id).ToListAsync(cancellationToken))
            .Where(m => m.Until is null || m.Until > now).OrderBy(m => m.Asset, StringComparer.Ordinal).ToList();
        return muted.Count == 0 ? "none" : string.Join(", ", muted.Select(m => m.Until is { } t ? $"{m.Asset} until {UserTime.Format(t, user.TimeZone, now)}" : $"{m.Asset} until unmuted"));
    }

    private static bool IsDuration(string token) => NumberText.TryParseHours(token, out var hours) && double.IsFinite(hours);

    private static async Task<bool> KnownAsync(CommandContext c, string symbol, CancellationToken cancellationToken)
    {
        if (!SymbolName.TryParse(symbol, out var asset, out _)) return false;
        foreach (var venue in Enum.GetValues<Venue>())
            if (TierCatalog.BuiltIn.TryFindBase(venue, ContractType.Linear, asset, out _)) return true;
        var held = await c.Db.Positions.Where(p => p.OwnerId == c.User.Id).Select(p => p.Symbol).ToListAsync(cancellationToken);
        var ruled = await c.Db.Rules.Where(r => r.OwnerId == c.User.Id).Select(r => r.Symbol).ToListAsync(cancellationToken);
        return held.Concat(ruled).Any(s => AlertBook.AssetOf(s) == asset);
    }
}
