using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Tests.Alerts;

/// <summary>
/// Cross-venue divergence on the replayed flush. Binance and Hyperliquid BTC marks (per minute, from the tape):
/// 21:19 0.92% apart, 21:20 1.15% (over the 1% threshold: the 2-minute clock starts), 21:21 1.38%, 21:22 2.86% (two
/// minutes over: the alert), up to 7.49% at 21:27, back down to 1.37% at 21:33, 0.99% at 21:34 (under the threshold but
/// above the 0.75% re-arm point: still diverged), 0.60% at 21:35 (converged: one notice).
/// </summary>
public sealed class DivergenceAlertTests
{
    [Fact]
    public async Task TheFlushsVenueGap_AlertsAfterTheMinimumTime_ThenOnceWhenBackInLine_WithHysteresis()
    {
        await using var h = await AlertHarness.StartAsync();
        await h.SendAsync("/add binance BTCUSDT long 0.01 @ 121000 x2", "vera"); // far from liquidation: only divergence speaks
        await h.RunUntilAsync(AlertHarness.PlayFrom.Date.AddHours(22).AddMinutes(30) is var end ? new DateTimeOffset(end, TimeSpan.Zero) : default);

        var received = h.For("vera");
        Assert.Equal(
            ["21:22 🟡 WARNING · BTC: binance 103,987 vs hyperliquid 101,050, 2.86% apart",
             "21:35 🔵 INFO · BTC: venues back in line, spread 0.60%"],
            received.Select(r => $"{r.At:HH:mm} {r.Headline}"));
        var warning = received[0].Text;
        // Each venue's mark and index: here Hyperliquid's mark left its index, Binance's did not.
        Assert.Matches(@"\n  binance +mark 103,987 · index 104,432\n", warning);
        Assert.Matches(@"\n  hyperliquid +mark 101,050 · index 104,430\n", warning);
        Assert.Matches(@"\n  Clears when +the spread is back under 0\.75%\n", warning);
        Assert.Contains("/mute BTC 24h", warning, StringComparison.Ordinal);
        var vera = (await h.UserAsync(RecordingChannel.Platform, "vera"))!.Id;
        var rows = (await h.AlertsAsync()).Where(a => a.Key == "divergence.BTC" && a.OwnerId == vera).ToList();
        Assert.Equal([AlertStatus.Sent, AlertStatus.Sent], rows.Select(r => r.Status));
        Assert.Contains("BTC: venues back in line", PlainTextReply.Render(await h.SendAsync("/alerts", "vera")), StringComparison.Ordinal);
    }
}
