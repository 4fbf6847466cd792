using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market;

/// <summary>The real Quartz jobs against the loopback exchange: what they store, and how a failing venue is contained.</summary>
public sealed class PollingJobTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _server.Get("/fapi/v1/fundingInfo", FakeResponse.Json(Fixture.Read("binance/fundingInfo.json")));
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/ticker24hr.BTCUSDT.json")));
        _server.Get("/fapi/v1/openInterest", FakeResponse.Json(Fixture.Read("binance/openInterest.BTCUSDT.json")));
        _server.Get("/futures/data/openInterestHist", FakeResponse.Json(Fixture.Read("binance/openInterestHist.BTCUSDT.1h.json")));
        _server.Get("/fapi/v1/depth", FakeResponse.Json(Fixture.Read("binance/depth.BTCUSDT.limit20.json")));
        _server.Get("/fapi/v1/klines", FakeResponse.Json(Fixture.Read("binance/klines.BTCUSDT.1h.json")));
        _server.Get("/api/v3/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/spot.ticker24hr.BTCUSDT.json")));
        _server.Get("/api/v3/klines", FakeResponse.Json(Fixture.Read("binance/spot.klines.BTCUSDT.1h.json")));
        // Hyperliquid is down behind an HTML error page the whole time.
        _server.On("POST", "/info", _ => FakeResponse.Html(502));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_jobs_store_each_series_and_a_failing_venue_is_flagged_once_without_stopping_the_others()
    {
        await using var market = await MarketHarness.StartAsync(TimeProvider.System, _server.BaseUrl, new Dictionary<string, string?>
        {
            ["Market:Poll"] = "true",
            ["Market:PricesEvery"] = "00:00:01",
            ["Market:DepthEvery"] = "00:00:01",
            ["Market:BarsEvery"] = "00:00:01",
            ["Market:Watchlist:0"] = "binance:BTCUSDT",
            ["Market:Watchlist:1"] = "hyperliquid:ETH",
            ["Venues:Bybit:Enabled"] = "false",
            ["Venues:Okx:Enabled"] = "false",
        }, runJobs: true);

        // Wait (bounded) until every series has rows; this asserts what is stored, never how fast.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await market.QueryAsync(async db => await db.Tickers.AnyAsync() && await db.OpenInterest.AnyAsync() && await db.Books.AnyAsync()
            && await db.Bars.AnyAsync(b => b.Market == MarketKind.Spot) && await db.Bars.AnyAsync(b => b.Market == MarketKind.Perp) && await db.SpotTickers.AnyAsync()) is false)
            await Task.Delay(100, deadline.Token);

        var ticker = await market.QueryAsync(db => db.Tickers.FirstAsync());
        Assert.Equal((Venue.Binance, "BTCUSDT", 97_012.4, 0.00007512), (ticker.Venue, ticker.Symbol, ticker.Mark, ticker.FundingRate!.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795251598000), ticker.Time);
        var book = await market.QueryAsync(db => db.Books.FirstAsync());
        Assert.True(book.BestAsk > book.BestBid && book.Bid05 > 0 && book.Levels > 2, $"{book.BestBid} {book.BestAsk} {book.Levels}");
        Assert.True(await market.QueryAsync(db => db.OpenInterest.CountAsync()) > 1, "history backfill and the current point");
        Assert.All(await market.QueryAsync(db => db.Bars.Where(b => b.Market == MarketKind.Perp).ToListAsync()), b => Assert.True(b.TakerBuyVolume > 0));

        // Hyperliquid: nothing stored, flagged with the reason, one warning however many cycles ran.
        var hl = new MarketKey(Venue.Hyperliquid, "ETH");
        var state = market.Get<MarketState>();
        while (state.FreshnessOf(hl, MarketFeed.Prices).LastError is null) await Task.Delay(100, deadline.Token);
        Assert.Contains("HTML", state.FreshnessOf(hl, MarketFeed.Prices).LastError, StringComparison.Ordinal);
        Assert.Equal(0, await market.QueryAsync(db => db.Tickers.CountAsync(t => t.Venue == Venue.Hyperliquid)));
        await Task.Delay(1500, deadline.Token); // at least one more cycle
        Assert.Single(market.Logs.Lines(LogLevel.Warning), l => l.StartsWith("Hyperliquid ETH Prices:", StringComparison.Ordinal));
        Assert.DoesNotContain(market.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
