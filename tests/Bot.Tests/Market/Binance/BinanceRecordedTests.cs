using PerpGuard.Bot.Market;
using PerpGuard.Bot.Market.Venues.Binance;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Tests.Market.Binance;

/// <summary>
/// The Binance client over the recordings and doc examples in ../shared/fixtures/market/binance (see its SOURCES.md):
/// the real bodies, with their real types (keys re-sorted by the recorder), parse to the numbers they hold.
/// </summary>
public sealed class BinanceRecordedTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private LoopbackServer _server = null!;
    private BinanceClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _client = new BinanceClient(VenueClients.Http(_server, time: _clock), _clock);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static FakeResponse Recorded(string file) => FakeResponse.Json(SharedFixtures.Read("binance/" + file));

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [SharedFixtureFact]
    public async Task Recorded_premium_index_and_24hr_make_a_ticker()
    {
        _server.Get("/fapi/v1/premiumIndex", Recorded("premiumIndex.BTCUSDT.json"));
        _server.Get("/fapi/v1/ticker/24hr", Recorded("ticker_24hr.BTCUSDT.json"));
        _server.Get("/fapi/v1/fundingInfo", Recorded("fundingInfo.json"));

        var t = Assert.Single(await _client.GetTickersAsync(["BTCUSDT"], default));

        Assert.Equal(Ms(1687244112000), t.Time);
        Assert.Equal(26780.82240476, t.Mark);
        Assert.Equal(26798.25197802, t.Index);
        Assert.Equal(0.00001226, t.FundingRate);
        Assert.Equal(8, t.FundingIntervalHours); // BTCUSDT is not among the 25 adjusted symbols
        Assert.Equal(Ms(1687248000000), t.NextFunding);
        Assert.Equal(47028.59, t.Last); // the 24hr recording is from another day (Aug 2021)
        Assert.Equal(471823.103, t.Volume24h);
        Assert.Equal(22175129357.20, t.QuoteVolume24h);
    }

    [SharedFixtureFact]
    public async Task Recorded_bulk_premium_index_keeps_the_asked_symbols_and_the_recorded_error_leaves_24h_unknown()
    {
        _server.Get("/fapi/v1/premiumIndex", Recorded("premiumIndex.all.json"));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Error(400, SharedFixtures.Read("binance/error.invalid_symbol.json")));
        _server.Get("/fapi/v1/fundingInfo", Recorded("fundingInfo.json"));

        var tickers = await _client.GetTickersAsync(["KNCUSDT", "EOSUSDT", "LPTUSDT"], default);

        // Recording order (EOS before KNC); LPTUSDT is not in this 5-entry recording.
        Assert.Equal(["EOSUSDT", "KNCUSDT"], tickers.Select(t => t.Symbol));
        Assert.Equal((2.59828765, 2.59732255, 0.0001), (tickers[0].Mark, tickers[0].Index, tickers[0].FundingRate));
        Assert.Equal((0.93419411, 0.93414471), (tickers[1].Mark, tickers[1].Index));
        Assert.Equal(Ms(1602835200000), tickers[1].NextFunding);
        Assert.Equal(Ms(1602819970000), tickers[1].Time);
        Assert.True(double.IsNaN(tickers[0].Last));
        Assert.Null(Assert.Single(_server.To("/fapi/v1/premiumIndex")).Param("symbol"));
    }

    [SharedFixtureFact]
    public async Task Recorded_funding_info_gives_the_four_hour_symbols_their_interval()
    {
        // The doc example's premiumIndex body under a symbol the fundingInfo recording lists at 4 h.
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(SharedFixtures.Read("binance/doc_examples/premiumIndex.symbol.doc.json").Replace("BTCUSDT", "LPTUSDT", StringComparison.Ordinal)));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Error(400, SharedFixtures.Read("binance/error.invalid_symbol.json")));
        _server.Get("/fapi/v1/fundingInfo", Recorded("fundingInfo.json"));

        var t = Assert.Single(await _client.GetTickersAsync(["LPTUSDT"], default));

        Assert.Equal(4, t.FundingIntervalHours);
        Assert.Equal(11793.63104562, t.Mark);
        Assert.Equal(0.00038246 / 4, t.FundingPerHour);
    }

    [SharedFixtureFact]
    public async Task Recorded_open_interest_is_valued_at_the_recorded_mark()
    {
        _server.Get("/fapi/v1/openInterest", Recorded("openInterest.BTCUSDT.json"));
        _server.Get("/fapi/v1/premiumIndex", Recorded("premiumIndex.BTCUSDT.json"));

        var oi = await _client.GetOpenInterestAsync("BTCUSDT", default);

        Assert.Equal(new OpenInterestPoint(Ms(1702244985273), 83782.317, 83782.317 * 26780.82240476), oi);
    }

    [SharedFixtureFact]
    public async Task Recorded_open_interest_history_has_number_timestamps_and_the_docs_string_ones()
    {
        _server.Get("/futures/data/openInterestHist", Recorded("openInterestHist.BTCUSDT.5m.json"));
        var five = Assert.Single(await _client.GetOpenInterestHistoryAsync("BTCUSDT", TimeSpan.FromMinutes(5), 1, default));
        Assert.Equal(new OpenInterestPoint(Ms(1602989400000), 36316.877, 413220015.26744573), five);

        _server.Get("/futures/data/openInterestHist", Recorded("openInterestHist.LTCUSDT.1d.json"));
        var daily = await _client.GetOpenInterestHistoryAsync("LTCUSDT", TimeSpan.FromDays(1), 10, default);
        Assert.Equal(10, daily.Count);
        Assert.Equal(new OpenInterestPoint(Ms(1602028800000), 286060.674, 13151177.5449312), daily[0]);
        Assert.Equal(new OpenInterestPoint(Ms(1602806400000), 378181.602, 18701080.2189), daily[^1]);

        _server.Get("/futures/data/openInterestHist", Recorded("doc_examples/openInterestHist.doc.json"));
        var doc = await _client.GetOpenInterestHistoryAsync("BTCUSDT", TimeSpan.FromMinutes(5), 2, default);
        Assert.Equal([Ms(1583127900000), Ms(1583128200000)], doc.Select(p => p.Time));
        Assert.Equal(20401.367, doc[1].Coins);
    }

    [SharedFixtureFact]
    public async Task Recorded_depth_reads_five_levels_a_side()
    {
        _server.Get("/fapi/v1/depth", Recorded("depth.BTCUSDT.limit5.json"));

        var book = await _client.GetOrderBookAsync("BTCUSDT", 5, default);

        Assert.Equal(Ms(1602818750767), book.Time);
        Assert.Equal((5, 5), (book.Bids.Length, book.Asks.Length));
        Assert.Equal(new BookLevel(11492.09, 0.004), book.Bids[0]);
        Assert.Equal(new BookLevel(11492.10, 0.191), book.Asks[0]);
        Assert.Equal(new BookLevel(11491.89, 3.158), book.Bids[^1]);
        Assert.Equal(new BookLevel(11492.82, 0.153), book.Asks[^1]);
        Assert.Equal("5", Assert.Single(_server.To("/fapi/v1/depth")).Param("limit"));
    }

    [SharedFixtureFact]
    public async Task Recorded_klines_mix_numbers_and_strings()
    {
        _server.Get("/fapi/v1/klines", Recorded("klines.BTCUSDT.1d.limit5.json"));

        var bars = await _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromDays(1), 5, default);

        Assert.Equal(5, bars.Count);
        var first = bars[0];
        Assert.Equal(Ms(1602633600000), first.OpenTime);
        Assert.Equal((11419.36, 11550.00, 11280.50, 11417.13), (first.Open, first.High, first.Low, first.Close));
        Assert.Equal((192936.970, 2198967087.67917, 93295.555), (first.Volume, first.QuoteVolume, first.TakerBuyVolume));
        Assert.Equal(6048.857, bars[^1].TakerBuyVolume);
        Assert.All(bars, b => Assert.True(b.Closed)); // all in 2020

        // The doc example is a weekly bar whose ignore field holds a big number.
        _server.Get("/fapi/v1/klines", Recorded("doc_examples/klines.doc.json"));
        var weekly = Assert.Single(await _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromDays(7), 1, default));
        Assert.Equal((0.0163479, 0.8, 0.015758, 0.015771, 1756.87402397), (weekly.Open, weekly.High, weekly.Low, weekly.Close, weekly.TakerBuyVolume));
    }

    [SharedFixtureFact]
    public async Task The_recorded_invalid_symbol_error_is_UnknownSymbol()
    {
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Error(400, SharedFixtures.Read("binance/error.invalid_symbol.json")));
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Error(400, SharedFixtures.Read("binance/error.invalid_symbol.json")));
        _server.Get("/fapi/v1/openInterest", FakeResponse.Error(400, SharedFixtures.Read("binance/error.invalid_symbol.json")));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestAsync("BTCUSD_201225", default));

        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.Contains("-1121 Invalid symbol.", ex.Message, StringComparison.Ordinal);
    }
}
