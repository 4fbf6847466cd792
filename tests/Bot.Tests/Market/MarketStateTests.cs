using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market;

public sealed class MarketStateTests
{
    private static readonly MarketKey Btc = new(Venue.Binance, "BTCUSDT");

    private static Ticker Tick(DateTimeOffset at, double mark) => new()
    {
        Symbol = "BTCUSDT", Time = at, Mark = mark, Index = mark - 5, Last = mark + 1, FundingRate = 0.0001, FundingIntervalHours = 8,
    };

    [Fact]
    public async Task A_ticker_is_fresh_until_StaleAfter_then_stale_and_no_longer_current()
    {
        var clock = new ManualClock();
        await using var market = await MarketHarness.StartAsync(clock);
        var ingest = market.Get<MarketIngest>();
        var state = market.Get<MarketState>();

        await ingest.TickersAsync(Venue.Binance, [Tick(clock.GetUtcNow(), 97_000)], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(97_000, state.FreshMark(Venue.Binance, "BTCUSDT"));
        Assert.Equal(TimeSpan.FromSeconds(90), state.FreshnessOf(Btc, MarketFeed.Prices).Age);

        clock.Advance(TimeSpan.FromSeconds(1));
        var f = state.FreshnessOf(Btc, MarketFeed.Prices);
        Assert.True(f.Stale);
        Assert.Null(state.FreshMark(Venue.Binance, "BTCUSDT"));
        // The value is still there, with its age, for display.
        Assert.Equal(97_000, state.View(Btc).Ticker!.Mark);
    }

    [Fact]
    public async Task An_absurd_ticker_is_rejected_logged_once_and_the_last_good_one_stays_with_its_age()
    {
        var clock = new ManualClock();
        await using var market = await MarketHarness.StartAsync(clock);
        var ingest = market.Get<MarketIngest>();
        var state = market.Get<MarketState>();
        var t0 = clock.GetUtcNow();
        await ingest.TickersAsync(Venue.Binance, [Tick(t0, 97_000)], CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(15));
        await ingest.TickersAsync(Venue.Binance, [Tick(clock.GetUtcNow(), -1)], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(15));
        await ingest.TickersAsync(Venue.Binance, [Tick(clock.GetUtcNow(), double.NaN)], CancellationToken.None);
        await ingest.TickersAsync(Venue.Binance, [Tick(clock.GetUtcNow(), double.NaN)], CancellationToken.None);

        var view = state.View(Btc);
        Assert.Equal(97_000, view.Ticker!.Mark);
        Assert.Equal(TimeSpan.FromSeconds(30), view.Feeds[MarketFeed.Prices].Age);
        Assert.Equal("rejected: mark price NaN is not a positive number", view.Feeds[MarketFeed.Prices].LastError);
        var warnings = market.Logs.Lines(Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal(
            ["Binance BTCUSDT Prices: rejected: mark price -1 is not a positive number; keeping the last good value",
             "Binance BTCUSDT Prices: rejected: mark price NaN is not a positive number; keeping the last good value"], warnings);
        Assert.Equal(1, await market.QueryAsync(db => db.Tickers.CountAsync()));

        // A good value clears the error and says so once.
        clock.Advance(TimeSpan.FromSeconds(61));
        await ingest.TickersAsync(Venue.Binance, [Tick(clock.GetUtcNow(), 96_500)], CancellationToken.None);
        Assert.Null(state.FreshnessOf(Btc, MarketFeed.Prices).LastError);
        Assert.Contains("Binance BTCUSDT Prices: data flowing again", market.Logs.Lines());
        Assert.Equal(2, await market.QueryAsync(db => db.Tickers.CountAsync()));
    }

    [Fact]
    public async Task An_older_stamp_never_replaces_a_newer_value_and_snapshots_are_stored_at_most_once_a_minute()
    {
        var clock = new ManualClock();
        await using var market = await MarketHarness.StartAsync(clock);
        var ingest = market.Get<MarketIngest>();
        var t0 = clock.GetUtcNow();
        await ingest.TickersAsync(Venue.Binance, [Tick(t0, 97_000)], CancellationToken.None);
        await ingest.TickersAsync(Venue.Binance, [Tick(t0.AddSeconds(-15), 90_000)], CancellationToken.None);
        await ingest.TickersAsync(Venue.Binance, [Tick(t0.AddSeconds(15), 97_100)], CancellationToken.None);
        await ingest.TickersAsync(Venue.Binance, [Tick(t0.AddSeconds(60), 97_200)], CancellationToken.None);

        Assert.Equal(97_200, market.Get<MarketState>().View(Btc).Ticker!.Mark);
        var stored = await market.QueryAsync(db => db.Tickers.OrderBy(t => t.Time).Select(t => t.Mark).ToListAsync());
        Assert.Equal([97_000, 97_200], stored);
    }

    [Fact]
    public async Task Bars_are_upserted_while_forming_and_open_interest_points_are_stored_once()
    {
        var clock = new ManualClock();
        await using var market = await MarketHarness.StartAsync(clock);
        var ingest = market.Get<MarketIngest>();
        var open = new DateTimeOffset(2026, 11, 21, 8, 55, 0, TimeSpan.Zero);
        Bar Bar(double close, bool closed) => new()
        {
            OpenTime = open, Interval = TimeSpan.FromMinutes(5), Open = 97_000, High = Math.Max(97_000, close), Low = Math.Min(97_000, close),
            Close = close, Volume = 10, TakerBuyVolume = 4, Closed = closed,
        };
        await ingest.BarsAsync(Btc, MarketKind.Perp, [Bar(97_050, false)], CancellationToken.None);
        await ingest.BarsAsync(Btc, MarketKind.Perp, [Bar(96_900, true)], CancellationToken.None);
        var point = new OpenInterestPoint(open, 80_000, 80_000 * 97_000.0);
        await ingest.OpenInterestAsync(Btc, [point], history: true, CancellationToken.None);
        await ingest.OpenInterestAsync(Btc, [point], history: true, CancellationToken.None);

        var bars = await market.QueryAsync(db => db.Bars.ToListAsync());
        var bar = Assert.Single(bars);
        Assert.Equal((96_900.0, 96_900.0, true, 4.0), (bar.Close, bar.Low, bar.Closed, bar.TakerBuyVolume!.Value));
        Assert.Null(bar.QuoteVolume);
        Assert.Equal(1, await market.QueryAsync(db => db.OpenInterest.CountAsync()));
    }
}
