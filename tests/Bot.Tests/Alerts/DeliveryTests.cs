using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Alerts;

/// <summary>The outbox and the dispatcher: stale data, retries, permanent errors and giving up, on the real pipeline.</summary>
public sealed class DeliveryTests
{
    private const string LongBtc = "/add binance BTCUSDT long 0.5 @ 121000 x8";

    [Fact]
    public async Task StaleData_NeverAlerts_GetsOneNoticeAndOneRecovery_AndAbsurdDataDoesNotCountAsFresh()
    {
        await using var h = await AlertHarness.StartAsync();
        await h.SendAsync(LongBtc, "ivan");
        await h.StepAsync(AlertHarness.PlayFrom.AddMinutes(1));
        var end = AlertHarness.Scenario.Header.End;
        // The tape runs out at 01:00 (mark 110,4xx: 3.7% from liquidation, the 5% level), but nobody sweeps until
        // 01:10, when the last price is ten minutes old: stale, so the position is not evaluated at all.
        await h.Services.GetRequiredService<ReplaySource>().AdvanceAsync(end.AddMinutes(10), CancellationToken.None);
        await h.Engine.SweepAsync(CancellationToken.None);
        await h.Dispatcher.DispatchAsync(CancellationToken.None);
        await h.StepAsync(end.AddMinutes(10.5));
        // An absurd price is rejected at ingest and does not make the data fresh.
        var ingest = h.Services.GetRequiredService<MarketIngest>();
        await ingest.TickersAsync(Venue.Binance, [new Ticker { Symbol = "BTCUSDT", Time = h.Now, Mark = -5 }], CancellationToken.None);
        await h.StepAsync(end.AddMinutes(10.75));
        Assert.Equal(
            ["19:01 🟡 WARNING · #4 binance BTCUSDT LONG: 12.8% from liquidation",
             "01:10 🔵 INFO · binance BTCUSDT: market data is stale; alerts for it are paused until it recovers"],
            h.For("ivan").Select(r => $"{r.At:HH:mm} {r.Headline}"));

        await ingest.TickersAsync(Venue.Binance, [new Ticker { Symbol = "BTCUSDT", Time = h.Now.AddSeconds(30), Mark = 110_400 }], CancellationToken.None);
        await h.StepAsync(end.AddMinutes(11));
        Assert.Equal(
            ["01:11 🔵 INFO · binance BTCUSDT: market data is fresh again; alerts for it resume",
             "01:11 🔴 CRITICAL · #4 binance BTCUSDT LONG: 3.7% from liquidation",
             "01:11 🟠 HIGH · #4 binance BTCUSDT LONG: 73% chance of touching liquidation within 24h"],
            h.For("ivan").Skip(2).Select(r => $"{r.At:HH:mm} {r.Headline}"));
    }

    [Fact]
    public async Task ChannelErrors_AreRetriedWithBackoff_ThenDeliveredOnce()
    {
        await using var h = await AlertHarness.StartAsync();
        await h.SendAsync(LongBtc, "ivan");
        var failures = 0;
        h.Channel.Fail = n => n.ExternalId == "ivan" && failures++ < 2 ? new HttpRequestException("connection reset") : null;
        var t0 = AlertHarness.PlayFrom.AddMinutes(1);
        await h.StepAsync(t0);
        var row = await AlertAsync(h, "ivan");
        Assert.Equal((AlertStatus.Pending, 1, t0.AddSeconds(5), "HttpRequestException: connection reset"), (row.Status, row.Attempts, row.NextAttemptAt, row.LastError));

        await h.Dispatcher.DispatchAsync(CancellationToken.None); // not due yet
        Assert.Equal(1, (await AlertAsync(h, "ivan")).Attempts);
        await AdvanceAndDispatchAsync(h, t0.AddSeconds(5));
        row = await AlertAsync(h, "ivan");
        Assert.Equal((AlertStatus.Pending, 2, t0.AddSeconds(15)), (row.Status, row.Attempts, row.NextAttemptAt));
        await AdvanceAndDispatchAsync(h, t0.AddSeconds(15));
        row = await AlertAsync(h, "ivan");
        Assert.Equal((AlertStatus.Sent, 3, null), (row.Status, row.Attempts, row.LastError));
        Assert.Single(h.For("ivan"));
    }

    [Fact]
    public async Task RateLimits_AreHonoured_AndAFailingPlatformDoesNotBlockOtherUsersTwice()
    {
        await using var h = await AlertHarness.StartAsync();
        await h.SendAsync(LongBtc, "ivan");
        await h.SendAsync(LongBtc, "kate");
        h.Channel.Fail = n => n.ExternalId == "ivan" ? new ChatDeliveryException("Too Many Requests: retry after 42", permanent: false, TimeSpan.FromSeconds(42)) : null;
        var t0 = AlertHarness.PlayFrom.AddMinutes(1);
        await h.StepAsync(t0);
        Assert.Equal(t0.AddSeconds(42), (await AlertAsync(h, "ivan")).NextAttemptAt);
        // The platform struggled in this pass, so kate's alert waits for the next pass rather than piling on.
        Assert.Empty(h.For("kate"));
        h.Channel.Fail = null;
        await h.Dispatcher.DispatchAsync(CancellationToken.None);
        Assert.Single(h.For("kate"));
        Assert.Empty(h.For("ivan"));
        await AdvanceAndDispatchAsync(h, t0.AddSeconds(42));
        Assert.Single(h.For("ivan"));
    }

    [Fact]
    public async Task APermanentError_StopsTheUsersDelivery_ShowsInStatus_AndStartResumesWithNothingLost()
    {
        await using var h = await AlertHarness.StartAsync();
        await h.SendAsync(LongBtc, "ivan");
        h.Channel.Fail = n => n.ExternalId == "ivan" ? new ChatDeliveryException("Forbidden: bot was blocked by the user (403)", permanent: true) : null;
        await h.StepAsync(AlertHarness.PlayFrom.AddMinutes(1));
        var status = PlainTextReply.Render(await h.SendAsync("/status", "ivan"));
        Assert.Contains("STOPPED since 19:01 UTC: Forbidden: bot was blocked by the user (403); send /start to resume", status, StringComparison.Ordinal);
        Assert.Contains("1 pending (/alerts)", status, StringComparison.Ordinal);
        // Stopped users are not evaluated: the flush to 21:08 (the 10% level) decides nothing for ivan.
        await h.RunUntilAsync(AlertHarness.PlayFrom.AddHours(2).AddMinutes(8), TimeSpan.FromMinutes(4));
        Assert.Single(await AlertsOfAsync(h, "ivan"));

        h.Channel.Fail = null;
        Assert.Contains("Push alerts had stopped (Forbidden: bot was blocked by the user (403)); they are on again.", PlainTextReply.Render(await h.SendAsync("/start", "ivan")), StringComparison.Ordinal);
        await h.StepAsync(AlertHarness.PlayFrom.AddHours(2).AddMinutes(9));
        Assert.Equal(
            ["🟡 WARNING · #4 binance BTCUSDT LONG: 12.8% from liquidation", "🟠 HIGH · #4 binance BTCUSDT LONG: 9.2% from liquidation"],
            h.For("ivan").Select(r => r.Headline));
    }

    [Fact]
    public async Task AnAlertThatCannotBeDelivered_IsMarkedFailed_AfterGiveUpAfter_AndShownInAlerts()
    {
        await using var h = await AlertHarness.StartAsync(new Dictionary<string, string?> { ["Alerts:GiveUpAfter"] = "00:10:00" });
        await h.SendAsync(LongBtc, "ivan");
        h.Channel.Fail = n => new HttpRequestException("timeout");
        var t0 = AlertHarness.PlayFrom.AddMinutes(1);
        await h.StepAsync(t0);
        await AdvanceAndDispatchAsync(h, t0.AddMinutes(10));
        var row = await AlertAsync(h, "ivan");
        Assert.Equal((AlertStatus.Failed, "HttpRequestException: timeout"), (row.Status, row.LastError));
        h.Channel.Fail = null;
        var history = PlainTextReply.Render(await h.SendAsync("/alerts", "ivan")).Split('\n');
        Assert.Contains(history, l => l.StartsWith($"  {row.Id} · 19:01 UTC ", StringComparison.Ordinal)
            && l.EndsWith("🟡 WARNING #4 binance BTCUSDT LONG: 12.8% from liquidation · FAILED: HttpRequestException: timeout", StringComparison.Ordinal));
        Assert.Contains("1 failed", PlainTextReply.Render(await h.SendAsync("/status", "ivan")), StringComparison.Ordinal);
    }

    private static async Task AdvanceAndDispatchAsync(AlertHarness h, DateTimeOffset at)
    {
        await h.Services.GetRequiredService<ReplaySource>().AdvanceAsync(at, CancellationToken.None);
        await h.Dispatcher.DispatchAsync(CancellationToken.None);
    }

    private static async Task<AlertRecord> AlertAsync(AlertHarness h, string user) => Assert.Single(await AlertsOfAsync(h, user));

    private static async Task<List<AlertRecord>> AlertsOfAsync(AlertHarness h, string user)
    {
        await using var scope = h.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        var id = await db.Users.Where(u => u.Platform == RecordingChannel.Platform && u.ExternalId == user).Select(u => u.Id).SingleAsync();
        return await db.Alerts.AsNoTracking().Where(a => a.OwnerId == id).OrderBy(a => a.Id).ToListAsync();
    }
}
