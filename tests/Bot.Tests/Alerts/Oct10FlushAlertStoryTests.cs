using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Alerts;

namespace PerpGuard.Bot.Tests.Alerts;

/// <summary>
/// The shipped oct10-flush replay played minute by minute through the real pipeline (ingest, alert sweep, outbox,
/// dispatcher) into a recording channel, with seven traders whose settings exercise every policy. The expected
/// sequences below were reasoned from the scenario's prices, then checked against a run:
/// <list type="bullet">
/// <item>BTCUSDT long 0.5 @ 121,000 x8 liquidates at 106,300. From 121,949 at 19:01 it is 12.8% away (the 20% level),
/// 9.8% at 21:08 (10%), 2.8% at 21:16 (5%, critical), 1.2% at 21:17 (2%), and the mark crosses it at 21:18 (told
/// once; the position is then presumed closed and nothing more comes). The 24 h hit chance reaches 30% at 21:15.</item>
/// <item>BTCUSDT short 0.1 @ 110,000 x25, added at 21:15 (after the flush), liquidates at 113,944: 4.2% away at 21:16
/// (5% level), then the crash to ~103k takes it to 10.6%, which is past 10% but short of the 12.5% re-arm, so it only
/// falls back to the 10% level (hysteresis); at 21:35 it is 4.8% again: a re-fire of the 5% level 19 minutes after
/// the last alert, held by the 30-minute cooldown; at 22:12 2.0% (2% level, above anything told: escalation goes
/// through), and 30 minutes later still at 1.8%: the critical reminder.</item>
/// </list>
/// </summary>
public sealed class Oct10FlushAlertStoryTests
{
    private const string LongBtc = "/add binance BTCUSDT long 0.5 @ 121000 x8";
    // The story is about the position kinds; the flush's Binance/Hyperliquid divergence has its own test (DivergenceAlertTests).
    private static readonly Dictionary<string, string?> PositionKindsOnly = new() { ["Alerts:DivergenceThreshold"] = "0.5" };
    private const string ShortBtc = "/add binance BTCUSDT short 0.1 @ 110000 x25";

    [Fact]
    public async Task TheFlush_AlertsEachTrader_InOrder_WithEscalationCooldownHysteresisSnoozeQuietHoursCapAndMute()
    {
        await using var h = await AlertHarness.StartAsync(PositionKindsOnly);
        await h.SendAsync(LongBtc, "alice");                               // defaults: the escalation ladder
        await h.SendAsync(LongBtc, "erin");
        await h.SendAsync("/settings quiet_hours 21:00-22:00", "erin");    // quiet during the flush (UTC)
        await h.SendAsync(LongBtc, "frank");
        await h.SendAsync("/settings daily_cap 2", "frank");               // two non-critical alerts a day
        await h.SendAsync(LongBtc, "judy");

        await h.StepAsync(AlertHarness.PlayFrom.AddMinutes(1));
        // judy presses "Mute BTC" on her first alert.
        var mute = h.For("judy")[0].Message.Buttons.Single(b => b.Label == "Mute BTC");
        Assert.Equal("/mute BTC 24h", mute.Command);
        Assert.StartsWith("BTC alerts muted on every venue until", (await h.SendAsync(mute.Command, "judy")).Headline, StringComparison.Ordinal);

        await h.RunUntilAsync(At("21:15"));
        await h.SendAsync(ShortBtc, "dave");
        await h.SendAsync(ShortBtc, "hank");
        await h.RunUntilAsync(At("22:12"));
        // hank presses "Snooze 1h" on the 22:12 critical alert: its reminder at 22:42 is held.
        var critical = h.For("hank")[^1];
        Assert.Equal("🔴 CRITICAL · #9 binance BTCUSDT SHORT: 2.0% from liquidation", critical.Headline);
        var snooze = critical.Message.Buttons.Single(b => b.Label == "Snooze 1h").Command;
        Assert.StartsWith("Snoozed until 23:12 UTC", (await h.SendAsync(snooze, "hank")).Headline, StringComparison.Ordinal);
        await h.RunUntilAsync(AlertHarness.Scenario.Header.End);

        const string warn20 = "19:01 🟡 WARNING · #{0} binance BTCUSDT LONG: 12.8% from liquidation";
        const string high10 = "21:08 🟠 HIGH · #{0} binance BTCUSDT LONG: 9.8% from liquidation";
        const string hit = "21:15 🟠 HIGH · #{0} binance BTCUSDT LONG: 30% chance of touching liquidation within 24h";
        const string crit5 = "21:16 🔴 CRITICAL · #{0} binance BTCUSDT LONG: 2.8% from liquidation";
        const string crit2 = "21:17 🔴 CRITICAL · #{0} binance BTCUSDT LONG: 1.2% from liquidation";
        const string crossed = "21:18 🔴 CRITICAL · #{0} binance BTCUSDT LONG: mark 105,667 crossed the liquidation price 106,300; the venue has likely closed it";
        Assert.Equal(Format([warn20, high10, hit, crit5, crit2, crossed], 4), Seen(h, "alice"));
        // Quiet hours hold the non-critical alerts for one digest at 22:00; the critical ones break through.
        Assert.Equal([.. Format([warn20, crit5, crit2, crossed], 5), "22:00 🟠 HIGH · Digest: 2 alerts held during your quiet hours"], Seen(h, "erin"));
        // The third non-critical alert of the day goes into the hourly summary; critical alerts are never capped.
        Assert.Equal([.. Format([warn20, high10, crit5, crit2, crossed], 6), "22:00 🟠 HIGH · Digest: 1 alert over your daily cap of 2 (/settings daily_cap)"], Seen(h, "frank"));
        Assert.Equal(Format([warn20], 7), Seen(h, "judy"));
        string[] shortAlerts =
        [
            "21:16 🔴 CRITICAL · #{0} binance BTCUSDT SHORT: 4.2% from liquidation",
            "21:16 🟠 HIGH · #{0} binance BTCUSDT SHORT: 41% chance of touching liquidation within 24h",
            "22:12 🔴 CRITICAL · #{0} binance BTCUSDT SHORT: 2.0% from liquidation",
            "22:20 🟡 WARNING · #{0} binance BTCUSDT SHORT: liquidation in a likely cascade path",
        ];
        Assert.Equal([.. Format(shortAlerts, 8), "22:42 🔴 CRITICAL · #8 binance BTCUSDT SHORT: 1.8% from liquidation (reminder)"], Seen(h, "dave"));
        Assert.Equal(Format(shortAlerts, 9), Seen(h, "hank"));

        // What was decided but not sent is in the history, with the reason.
        var alerts = await h.AlertsAsync();
        var users = await UsersAsync(h);
        Assert.Equal(
            ["21:08 Suppressed BTC muted until Sat 11 Oct 19:01 UTC", "21:15 Suppressed BTC muted until Sat 11 Oct 19:01 UTC",
             "21:16 Suppressed BTC muted until Sat 11 Oct 19:01 UTC", "21:17 Suppressed BTC muted until Sat 11 Oct 19:01 UTC",
             "21:18 Suppressed BTC muted until Sat 11 Oct 19:01 UTC"],
            alerts.Where(a => a.OwnerId == users["judy"] && a.Status != AlertStatus.Sent).Select(a => $"{a.CreatedAt:HH:mm} {a.Status} {a.Reason}"));
        Assert.Equal(
            ["21:20 HitChance Cooldown", "21:35 Distance Cooldown"],
            alerts.Where(a => a.OwnerId == users["dave"] && a.Status == AlertStatus.Suppressed).Select(a => $"{a.CreatedAt:HH:mm} {a.Kind} {a.Step}"));
        var digested = alerts.Where(a => a.OwnerId == users["erin"] && a.Status == AlertStatus.Digested).ToList();
        Assert.Equal(["21:08 quiet hours until 22:00 UTC", "21:15 quiet hours until 22:00 UTC"], digested.Select(a => $"{a.CreatedAt:HH:mm} {a.Reason}"));
        var digest = h.For("erin")[^1].Text;
        foreach (var a in digested) Assert.Contains($"{a.Id} · ", digest, StringComparison.Ordinal);
        Assert.DoesNotContain(alerts, a => a.Status is AlertStatus.Pending or AlertStatus.Held or AlertStatus.Failed);

        var history = PerpGuard.Bot.Rendering.PlainTextReply.Render(await h.SendAsync("/alerts", "dave"));
        Assert.Contains("not sent: cooldown: you were told the same or more recently", history, StringComparison.Ordinal);
        Assert.Contains("symbols: BTC until 19:01 UTC", PerpGuard.Bot.Rendering.PlainTextReply.Render(await h.SendAsync("/settings", "judy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_SayWhatHappened_TheNumbers_WhatClearsIt_AndOfferActions()
    {
        await using var h = await AlertHarness.StartAsync(PositionKindsOnly);
        await h.SendAsync(LongBtc, "alice");
        await h.RunUntilAsync(At("21:16"));
        var critical = h.For("alice").Single(r => r.Headline.Contains("LONG: 2.8%", StringComparison.Ordinal));
        // Positions #1 to #3 are the replay's demo portfolio of the console user.
        var id = (await h.AlertsAsync()).Single(a => a.Summary.Contains("#4 binance BTCUSDT LONG: 2.8%", StringComparison.Ordinal)).Id;
        Assert.Equal($"""
            🔴 CRITICAL · #4 binance BTCUSDT LONG: 2.8% from liquidation
              Price        mark 109,382 · liquidation 106,300 · entry 121,000
              Level        inside your 5% level (levels 20% 10% 5% 2%; /settings alert_levels)
              Hit chance   {HitLine(critical.Text)}
              Clears when  distance back above 6.2% (mark ≥ 113,387); reduce size or add margin to move the liquidation price
              Alert        {id} · 21:16 UTC
              Actions      /snooze {id} 1h · /snooze {id} 24h · /mute BTC 24h · /risk 4

            """.Replace("\r", "", StringComparison.Ordinal), critical.Text);
        Assert.Equal(["Snooze 1h", "Snooze 24h", "Mute BTC", "Show risk"], critical.Message.Buttons.Select(b => b.Label));
        // Every message fits one Telegram message (4,096) with room for markup.
        Assert.All(h.Channel.Received, r => Assert.True(r.Text.Length < 3000, r.Text));
    }

    private static string HitLine(string text) =>
        text.Split('\n').Single(l => l.Contains("Hit chance", StringComparison.Ordinal)).Split("Hit chance", StringSplitOptions.TrimEntries)[1];

    private static DateTimeOffset At(string hhmm) =>
        AlertHarness.PlayFrom.Date.Add(TimeSpan.Parse(hhmm, System.Globalization.CultureInfo.InvariantCulture)) is var d ? new DateTimeOffset(d, TimeSpan.Zero) : default;

    private static List<string> Seen(AlertHarness h, string user) => [.. h.For(user).Select(r => $"{r.At:HH:mm} {r.Headline}")];

    private static List<string> Format(IEnumerable<string> lines, long position) =>
        [.. lines.Select(l => string.Format(System.Globalization.CultureInfo.InvariantCulture, l, position))];

    private static async Task<Dictionary<string, long>> UsersAsync(AlertHarness h)
    {
        await using var scope = h.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        return db.Users.Where(u => u.Platform == RecordingChannel.Platform).ToDictionary(u => u.ExternalId, u => u.Id);
    }
}
