using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market;

public sealed class PollerFaultTests
{
    [Fact]
    public async Task Every_kind_of_fault_keeps_the_last_good_ticker_with_its_age_and_logs_one_line_each()
    {
        await using var server = await LoopbackServer.StartAsync();
        var good = Fixture.Read("binance/premiumIndex.BTCUSDT.json");
        server.Get("/fapi/v1/fundingInfo", FakeResponse.Json(Fixture.Read("binance/fundingInfo.json")));
        server.Get("/fapi/v1/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/ticker24hr.BTCUSDT.json")));
        server.Get("/api/v3/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/spot.ticker24hr.BTCUSDT.json")));
        server.Sequence("GET", "/fapi/v1/premiumIndex",
            FakeResponse.Json(good),
            FakeResponse.Json(good[..(good.Length / 2)]),
            FakeResponse.Html(502),
            FakeResponse.Json(good.Replace("\"markPrice\":\"97012.40000000\"", "\"markPrice\":\"-5\"", StringComparison.Ordinal)),
            FakeResponse.Json(good) with { Delay = TimeSpan.FromSeconds(5) },
            FakeResponse.Error(400, """{"code":-1121,"msg":"Invalid symbol."}"""),
            FakeResponse.Error(429, """{"code":-1003,"msg":"Too many requests."}""").WithHeader("Retry-After", "1"));
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(1795251598000));
        await using var market = await MarketHarness.StartAsync(clock, server.BaseUrl, new Dictionary<string, string?>
        {
            ["Market:Watchlist:0"] = "binance:BTCUSDT",
            // 2 s: long enough for a first request on a busy machine, short of the 5 s stalled answer.
            ["Venues:Binance:Timeout"] = "00:00:02",
        });
        var poller = market.Get<MarketPoller>();
        var state = market.Get<MarketState>();
        var key = new MarketKey(Venue.Binance, "BTCUSDT");

        await poller.PollPricesAsync(Venue.Binance, CancellationToken.None);
        Assert.Equal(97_012.4, state.View(key).Ticker!.Mark);

        var expected = new[] { "unreadable JSON", "HTML page", "mark price -5 is not a positive number", "no answer within 2 s", "binance does not list BTCUSDT", "HTTP 429" };
        for (var i = 0; i < expected.Length; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(15));
            await poller.PollPricesAsync(Venue.Binance, CancellationToken.None);
            var view = state.View(key);
            Assert.Equal(97_012.4, view.Ticker!.Mark);
            Assert.Equal(TimeSpan.FromSeconds(15 * (i + 1)), view.Feeds[MarketFeed.Prices].Age);
            Assert.Contains(expected[i], view.Feeds[MarketFeed.Prices].LastError, StringComparison.Ordinal);
            var warnings = market.Logs.Lines(LogLevel.Warning).Where(l => l.StartsWith("Binance BTCUSDT Prices:", StringComparison.Ordinal)).ToList();
            Assert.Equal(i + 1, warnings.Count);
            Assert.Contains(expected[i], warnings[^1], StringComparison.Ordinal);
            Assert.DoesNotContain('\n', warnings[^1]);
        }

        // After the 429 the venue is blocked: the next poll fails at once without a request.
        var before = server.To("/fapi/v1/premiumIndex").Count;
        await poller.PollPricesAsync(Venue.Binance, CancellationToken.None);
        Assert.Equal(before, server.To("/fapi/v1/premiumIndex").Count);
        Assert.Contains("back off", state.FreshnessOf(key, MarketFeed.Prices).LastError, StringComparison.Ordinal);
        // 90 s without a good value is the limit: one second more and the mark is no longer current.
        Assert.NotNull(state.FreshMark(Venue.Binance, "BTCUSDT"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(state.FreshMark(Venue.Binance, "BTCUSDT"));
    }
}
