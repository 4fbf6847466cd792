using System.Globalization;
using System.Text.Json.Nodes;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Bot.Market.Venues.Binance;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market.Binance;

/// <summary>The Binance client over this repository's own fixtures, served by a real loopback server.</summary>
public sealed class BinanceClientTests : IAsyncLifetime
{
    private const string InvalidSymbol = """{"code":-1121,"msg":"Invalid symbol."}""";
    private readonly ManualClock _clock = new();
    private LoopbackServer _server = null!;
    private VenueHttpFactory _http = null!;
    private BinanceClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _http = VenueClients.Http(_server, time: _clock);
        _client = new BinanceClient(_http, _clock);
        _server.Get("/fapi/v1/fundingInfo", FakeResponse.Json(Fixture.Read("binance/fundingInfo.json")));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    // One element of a fixture array, as the per-symbol endpoint would answer it (or -1121 when absent).
    private static FakeResponse ElementOf(string arrayFixture, string? symbol)
    {
        var element = JsonNode.Parse(Fixture.Read(arrayFixture))!.AsArray().FirstOrDefault(e => (string?)e!["symbol"] == symbol);
        return element is null ? FakeResponse.Error(400, InvalidSymbol) : FakeResponse.Json(element.ToJsonString());
    }

    // ---- tickers ----

    [Fact]
    public async Task One_symbol_ticker_reads_premiumIndex_and_24hr_for_that_symbol_and_defaults_to_8h()
    {
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/ticker24hr.BTCUSDT.json")));

        var t = Assert.Single(await _client.GetTickersAsync(["btcusdt"], default));

        Assert.Equal("BTCUSDT", t.Symbol);
        Assert.Equal(Ms(1795251598000), t.Time);
        Assert.Equal(97012.4, t.Mark);
        Assert.Equal(97055.11234567, t.Index);
        Assert.Equal(97010.10, t.Last);
        Assert.Equal(0.00007512, t.FundingRate);
        Assert.Equal(8, t.FundingIntervalHours); // BTCUSDT is not in fundingInfo
        Assert.Equal(Ms(1795276800000), t.NextFunding);
        Assert.Equal(143208.519, t.Volume24h);
        Assert.Equal(13825338721.84, t.QuoteVolume24h);
        Assert.True(double.IsNaN(t.OpenInterest));
        Assert.Equal("BTCUSDT", Assert.Single(_server.To("/fapi/v1/premiumIndex")).Param("symbol"));
        Assert.Equal("BTCUSDT", Assert.Single(_server.To("/fapi/v1/ticker/24hr")).Param("symbol"));
        Assert.Equal(1 + 1, _http.Limiter(Venue.Binance).Used); // weight 1 each; fundingInfo weighs 0
    }

    [Fact]
    public async Task Several_symbols_use_the_bulk_premiumIndex_per_symbol_24hr_and_the_funding_intervals()
    {
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.all.json")));
        _server.On("GET", "/fapi/v1/ticker/24hr", r => ElementOf("binance/ticker24hr.all.json", r.Param("symbol")));

        var tickers = await _client.GetTickersAsync(["BTCUSDT", "ETHUSDT", "1000PEPEUSDT", "SOLUSDT", "DOGEUSDT"], default);

        // DOGEUSDT is not listed (in this fixture): left out, not an error. The dated BTCUSDT_261225 is never asked for.
        Assert.Equal(["BTCUSDT", "ETHUSDT", "1000PEPEUSDT", "SOLUSDT"], tickers.Select(t => t.Symbol));
        var premium = Assert.Single(_server.To("/fapi/v1/premiumIndex"));
        Assert.Null(premium.Param("symbol"));
        Assert.Equal(["1000PEPEUSDT", "BTCUSDT", "ETHUSDT", "SOLUSDT"], _server.To("/fapi/v1/ticker/24hr").Select(r => r.Param("symbol")).Order(StringComparer.Ordinal));
        Assert.Equal(10 + 4, _http.Limiter(Venue.Binance).Used); // bulk premiumIndex 10, four 24hr at 1

        var eth = tickers[1]; // numbers sent as JSON numbers
        Assert.Equal(3412.57, eth.Mark);
        Assert.Equal(3413.9, eth.Index);
        Assert.Equal(-0.0000215, eth.FundingRate);
        Assert.Equal(3412.40, eth.Last);
        Assert.Equal(8198340022.51, eth.QuoteVolume24h);

        var pepe = tickers[2]; // listed in fundingInfo at 4 h; nextFundingTime sent as a string; unknown nested field
        Assert.Equal(0.0184521, pepe.Mark);
        Assert.Equal(4, pepe.FundingIntervalHours);
        Assert.Equal(0.00025 / 4, pepe.FundingPerHour);
        Assert.Equal(Ms(1795262400000), pepe.NextFunding);
        Assert.Equal(0.0184490, pepe.Last);
        Assert.Equal(91533901221, pepe.Volume24h);

        var sol = tickers[3]; // index null, volume "" and quoteVolume missing: unknown, not zero
        Assert.Equal(241.33, sol.Mark);
        Assert.True(double.IsNaN(sol.Index));
        Assert.True(double.IsNaN(sol.Volume24h));
        Assert.True(double.IsNaN(sol.QuoteVolume24h));
        Assert.Equal(8, sol.FundingIntervalHours); // listed with "8" as a string
    }

    [Fact]
    public async Task Forty_or_more_listed_symbols_take_the_bulk_24hr_call()
    {
        var names = Enumerable.Range(0, 45).Select(i => $"C{i.ToString(CultureInfo.InvariantCulture)}USDT").ToArray();
        var marks = new JsonArray([.. names.Select((n, i) => (JsonNode)new JsonObject
        {
            ["symbol"] = n, ["markPrice"] = (10 + i).ToString(CultureInfo.InvariantCulture), ["indexPrice"] = (10 + i).ToString(CultureInfo.InvariantCulture),
            ["lastFundingRate"] = "0.0001", ["nextFundingTime"] = 1795276800000, ["time"] = 1795251598000,
        })]);
        var dailies = new JsonArray([.. names.Select((n, i) => (JsonNode)new JsonObject
        {
            ["symbol"] = n, ["lastPrice"] = (10 + i).ToString(CultureInfo.InvariantCulture), ["volume"] = "1000", ["quoteVolume"] = "10000",
        })]);
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(marks.ToJsonString()));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Json(dailies.ToJsonString()));

        var tickers = await _client.GetTickersAsync(names[..40], default);

        Assert.Equal(40, tickers.Count);
        Assert.Equal(49, tickers[^1].Last);
        Assert.Null(Assert.Single(_server.To("/fapi/v1/ticker/24hr")).Param("symbol"));
        Assert.Equal(10 + 40, _http.Limiter(Venue.Binance).Used);
    }

    [Fact]
    public async Task An_unlisted_single_symbol_is_left_out_of_the_tickers()
    {
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Error(400, InvalidSymbol));

        Assert.Empty(await _client.GetTickersAsync(["NOPEUSDT"], default));
        Assert.Empty(_server.To("/fapi/v1/ticker/24hr"));
        Assert.Empty(await _client.GetTickersAsync([], default));
    }

    [Fact]
    public async Task Funding_intervals_are_cached_for_an_hour_and_a_failed_refresh_keeps_the_last_list()
    {
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.all.json")));
        _server.On("GET", "/fapi/v1/ticker/24hr", r => ElementOf("binance/ticker24hr.all.json", r.Param("symbol")));
        string[] symbols = ["BTCUSDT", "1000PEPEUSDT"];

        await _client.GetTickersAsync(symbols, default);
        _clock.Advance(TimeSpan.FromMinutes(59));
        await _client.GetTickersAsync(symbols, default);
        Assert.Single(_server.To("/fapi/v1/fundingInfo"));

        _clock.Advance(TimeSpan.FromMinutes(2));
        _server.Get("/fapi/v1/fundingInfo", FakeResponse.Error(500, """{"code":-1000,"msg":"An unknown error occurred."}"""));
        var tickers = await _client.GetTickersAsync(symbols, default);
        Assert.Equal(2, _server.To("/fapi/v1/fundingInfo").Count);
        Assert.Equal(4, tickers.Single(t => t.Symbol == "1000PEPEUSDT").FundingIntervalHours);
    }

    [Fact]
    public async Task Without_any_funding_interval_list_the_tickers_fail_rather_than_guess()
    {
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/ticker24hr.BTCUSDT.json")));
        _server.Get("/fapi/v1/fundingInfo", FakeResponse.Html(502));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetTickersAsync(["BTCUSDT"], default));
        Assert.Equal(MarketFault.Http, ex.Fault);
        Assert.Contains("fundingInfo", ex.Message, StringComparison.Ordinal);
    }

    // ---- open interest ----

    [Fact]
    public async Task Open_interest_is_coins_valued_at_the_mark()
    {
        _server.Get("/fapi/v1/openInterest", FakeResponse.Json(Fixture.Read("binance/openInterest.BTCUSDT.json")));
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));

        var oi = await _client.GetOpenInterestAsync("BTCUSDT", default);

        Assert.Equal(Ms(1795251597412), oi.Time);
        Assert.Equal(81234.567, oi.Coins);
        Assert.Equal(81234.567 * 97012.4, oi.Usd);
        Assert.Equal("BTCUSDT", Assert.Single(_server.To("/fapi/v1/openInterest")).Param("symbol"));
        Assert.Equal("BTCUSDT", Assert.Single(_server.To("/fapi/v1/premiumIndex")).Param("symbol"));
    }

    [Fact]
    public async Task Open_interest_history_reads_number_and_string_timestamps_oldest_first()
    {
        var rows = JsonNode.Parse(Fixture.Read("binance/openInterestHist.BTCUSDT.1h.json"))!.AsArray();
        var reversed = new JsonArray([.. rows.Reverse().Select(r => r!.DeepClone())]);
        _server.Get("/futures/data/openInterestHist", FakeResponse.Json(reversed.ToJsonString()));

        var history = await _client.GetOpenInterestHistoryAsync("BTCUSDT", TimeSpan.FromHours(1), 3, default);

        Assert.Equal([Ms(1795240800000), Ms(1795244400000), Ms(1795248000000)], history.Select(p => p.Time));
        Assert.Equal([80950.112, 81102.45, 81190.3], history.Select(p => p.Coins));
        Assert.Equal([7834671230.5512, 7861233451.1, 7877010022.4], history.Select(p => p.Usd));
        var request = Assert.Single(_server.To("/futures/data/openInterestHist"));
        Assert.Equal(("BTCUSDT", "1h", "3"), (request.Param("symbol"), request.Param("period"), request.Param("limit")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.GetOpenInterestHistoryAsync("BTCUSDT", TimeSpan.FromMinutes(10), 3, default));
    }

    // ---- order book ----

    [Theory]
    [InlineData(7, 10, 2)]
    [InlineData(20, 20, 2)]
    [InlineData(100, 100, 5)]
    [InlineData(101, 500, 10)]
    [InlineData(600, 1000, 20)]
    [InlineData(5000, 1000, 20)]
    public async Task Depth_is_rounded_up_to_a_served_limit_with_its_weight(int depth, int limit, int weight)
    {
        _server.Get("/fapi/v1/depth", FakeResponse.Json(Fixture.Read("binance/depth.BTCUSDT.limit20.json")));

        var book = await _client.GetOrderBookAsync("BTCUSDT", depth, default);

        var request = Assert.Single(_server.To("/fapi/v1/depth"));
        Assert.Equal(limit.ToString(CultureInfo.InvariantCulture), request.Param("limit"));
        Assert.Equal(weight, _http.Limiter(Venue.Binance).Used);
        Assert.Equal(Math.Min(depth, 20), book.Bids.Length);
        Assert.Equal(Math.Min(depth, 20), book.Asks.Length);
    }

    [Fact]
    public async Task Book_levels_prices_sizes_and_time_are_read()
    {
        _server.Get("/fapi/v1/depth", FakeResponse.Json(Fixture.Read("binance/depth.BTCUSDT.limit20.json")));

        var book = await _client.GetOrderBookAsync("BTCUSDT", 20, default);

        Assert.Equal(Ms(1795251598101), book.Time); // T, the matching engine's time
        Assert.Equal(new BookLevel(97010.0, 0.5), book.Bids[0]);
        Assert.Equal(new BookLevel(97010.1, 0.25), book.Asks[0]);
        Assert.Equal(new BookLevel(97002.1, 2.875), book.Bids[^1]);
        Assert.Equal(new BookLevel(97018.0, 5.0), book.Asks[^1]);
    }

    [Fact]
    public async Task A_thousand_level_book_is_read_whole()
    {
        var bids = Enumerable.Range(0, 1000).Select(i => $"[\"{(97000 - i * 0.5).ToString("0.0", CultureInfo.InvariantCulture)}\",\"{(0.001 * (i + 1)).ToString("0.000", CultureInfo.InvariantCulture)}\"]");
        var asks = Enumerable.Range(0, 1000).Select(i => $"[\"{(97000.5 + i * 0.5).ToString("0.0", CultureInfo.InvariantCulture)}\",\"2.5\"]");
        _server.Get("/fapi/v1/depth", FakeResponse.Json($"{{\"lastUpdateId\":1,\"E\":1795251598120,\"bids\":[{string.Join(',', bids)}],\"asks\":[{string.Join(',', asks)}]}}"));

        var book = await _client.GetOrderBookAsync("BTCUSDT", 1000, default);

        Assert.Equal((1000, 1000), (book.Bids.Length, book.Asks.Length));
        Assert.Equal(new BookLevel(96500.5, 1.0), book.Bids[^1]);
        Assert.Equal(new BookLevel(97500.0, 2.5), book.Asks[^1]);
        Assert.Equal(Ms(1795251598120), book.Time); // no T: the event time
    }

    // ---- bars ----

    [Fact]
    public async Task Perp_bars_carry_taker_buy_volume_and_the_forming_bar_is_open()
    {
        _server.Get("/fapi/v1/klines", FakeResponse.Json(Fixture.Read("binance/klines.BTCUSDT.1h.json")));

        var bars = await _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 4, default);

        Assert.Equal(4, bars.Count);
        var first = bars[0];
        Assert.Equal(Ms(1795240800000), first.OpenTime);
        Assert.Equal(TimeSpan.FromHours(1), first.Interval);
        Assert.Equal((96650.10, 96980.00, 96510.20, 96902.30), (first.Open, first.High, first.Low, first.Close));
        Assert.Equal(4123.551, first.Volume);
        Assert.Equal(399112334.12, first.QuoteVolume);
        Assert.Equal(2210.402, first.TakerBuyVolume);
        Assert.Equal([true, true, true, false], bars.Select(b => b.Closed)); // the clock is at 09:00, the last bar opened then
        var request = Assert.Single(_server.To("/fapi/v1/klines"));
        Assert.Equal(("BTCUSDT", "1h", "4"), (request.Param("symbol"), request.Param("interval"), request.Param("limit")));
        Assert.Equal(1, _http.Limiter(Venue.Binance).Used);
    }

    [Fact]
    public async Task Spot_bars_come_from_the_spot_host_under_the_spot_symbol()
    {
        _server.Get("/api/v3/klines", FakeResponse.Json(Fixture.Read("binance/spot.klines.BTCUSDT.1h.json")));

        var bars = await _client.GetBarsAsync("1000PEPEUSDT", MarketKind.Spot, TimeSpan.FromHours(1), 2, default);

        Assert.Equal("PEPEUSDT", Assert.Single(_server.To("/api/v3/klines")).Param("symbol"));
        Assert.Empty(_server.To("/fapi/v1/klines"));
        Assert.Equal(2, bars.Count);
        Assert.Equal((97150.00, 97180.00, 96921.00, 97040.02), (bars[1].Open, bars[1].High, bars[1].Low, bars[1].Close));
        Assert.Equal(470.0011, bars[1].TakerBuyVolume);
        Assert.True(bars[1].Closed);
        Assert.Equal(0, _http.Limiter(Venue.Binance).Used); // the spot host has its own budget
    }

    // ---- spot ticker and tiers ----

    [Fact]
    public async Task Spot_ticker_reads_last_price_and_quote_volume()
    {
        _server.Get("/api/v3/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/spot.ticker24hr.BTCUSDT.json")));

        var spot = await _client.GetSpotTickerAsync("BTCUSDT", default);

        Assert.NotNull(spot);
        Assert.Equal("BTCUSDT", spot.Symbol);
        Assert.Equal(97060, spot.Price);
        Assert.Equal(2051022344.1023, spot.QuoteVolume24h);
        Assert.Equal(Ms(1795251598031), spot.Time);
    }

    [Fact]
    public async Task A_missing_spot_pair_is_null()
    {
        _server.Get("/api/v3/ticker/24hr", FakeResponse.Error(400, InvalidSymbol));

        Assert.Null(await _client.GetSpotTickerAsync("NEWCOINUSDT", default));
        Assert.Equal("NEWCOINUSDT", Assert.Single(_server.To("/api/v3/ticker/24hr")).Param("symbol"));
    }

    [Fact]
    public async Task Tiers_are_not_public_so_none_are_fetched()
    {
        Assert.Null(await _client.GetTiersAsync("BTCUSDT", default));
        Assert.Empty(_server.Requests);
    }

    // ---- faults ----

    [Fact]
    public async Task Invalid_symbol_is_UnknownSymbol_and_other_codes_are_VenueError()
    {
        _server.Get("/fapi/v1/depth", FakeResponse.Error(400, InvalidSymbol));
        var unknown = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOrderBookAsync("NOPEUSDT", 20, default));
        Assert.Equal(MarketFault.UnknownSymbol, unknown.Fault);
        Assert.Equal(Venue.Binance, unknown.Venue);
        Assert.Contains("-1121", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid symbol", unknown.Message, StringComparison.Ordinal);

        _server.Get("/fapi/v1/klines", FakeResponse.Error(400, """{"code":-1120,"msg":"Invalid interval."}"""));
        var other = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 5, default));
        Assert.Equal(MarketFault.VenueError, other.Fault);
        Assert.Contains("-1120", other.Message, StringComparison.Ordinal);
        Assert.Contains("/fapi/v1/klines", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_then_a_418_ban_block_the_venue_and_the_next_call_fails_without_a_request()
    {
        _server.Sequence("GET", "/fapi/v1/openInterest",
            FakeResponse.Error(429, """{"code":-1003,"msg":"Too many requests."}""").WithHeader("Retry-After", "3"),
            FakeResponse.Error(418, """{"code":-1003,"msg":"Way too many requests; IP banned."}""").WithHeader("Retry-After", "120"));
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));

        var first = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestAsync("BTCUSDT", default));
        Assert.Equal(MarketFault.RateLimited, first.Fault);
        Assert.Equal(TimeSpan.FromSeconds(3), first.RetryAfter);
        Assert.Contains("429", first.Message, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(4));
        var banned = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestAsync("BTCUSDT", default));
        Assert.Equal(MarketFault.RateLimited, banned.Fault);
        Assert.Equal(TimeSpan.FromSeconds(120), banned.RetryAfter);
        Assert.Contains("418", banned.Message, StringComparison.Ordinal);
        var seen = _server.Requests.Count;

        var blocked = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOrderBookAsync("BTCUSDT", 5, default));
        Assert.Equal(MarketFault.RateLimited, blocked.Fault);
        Assert.Contains("back off", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(seen, _server.Requests.Count);
        Assert.Empty(_server.To("/fapi/v1/depth"));
    }

    [Fact]
    public async Task A_stalled_server_is_a_timeout()
    {
        var client = new BinanceClient(VenueClients.Http(_server, timeout: TimeSpan.FromMilliseconds(300), time: _clock), _clock);
        _server.Get("/fapi/v1/depth", FakeResponse.Json(Fixture.Read("binance/depth.BTCUSDT.limit20.json")) with { Delay = TimeSpan.FromSeconds(10) });

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => client.GetOrderBookAsync("BTCUSDT", 20, default));

        Assert.Equal(MarketFault.Timeout, ex.Fault);
        Assert.Contains("/fapi/v1/depth", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/fapi/v1/premiumIndex", """{"symbol":"BTCUSDT","markPrice":"9701""")]
    [InlineData("/fapi/v1/depth", """{"lastUpdateId":1,"bids":[["97010.0","0.5"],["97009.9",""")]
    [InlineData("/fapi/v1/klines", """[[1795240800000,"96650.10","96980.00","96510.20","96902.30","4123.551",1795244399999""")]
    [InlineData("/fapi/v1/openInterest", """{"openInterest":"81234.567","symbol":"BTCUSDT","time":17952""")]
    public async Task Truncated_json_is_malformed(string path, string body)
    {
        _server.Get(path, FakeResponse.Json(body));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/ticker24hr.BTCUSDT.json")));
        if (path != "/fapi/v1/premiumIndex") _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => path switch
        {
            "/fapi/v1/premiumIndex" => _client.GetTickersAsync(["BTCUSDT"], default),
            "/fapi/v1/depth" => _client.GetOrderBookAsync("BTCUSDT", 20, default),
            "/fapi/v1/klines" => _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 4, default),
            _ => (Task)_client.GetOpenInterestAsync("BTCUSDT", default),
        });

        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.StartsWith("binance ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_html_error_page_says_so()
    {
        _server.Get("/fapi/v1/openInterest", FakeResponse.Html(502));
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestAsync("BTCUSDT", default));

        Assert.Equal(MarketFault.Http, ex.Fault);
        Assert.Contains("HTML", ex.Message, StringComparison.Ordinal);
        Assert.Contains("502", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_html_page_with_status_200_is_malformed()
    {
        _server.Get("/fapi/v1/klines", FakeResponse.Html(502) with { Status = 200 });

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 4, default));

        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.Contains("HTML", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-97012.4", "mark price")]
    [InlineData("NaN", "mark price")]
    [InlineData("0", "mark price")]
    public async Task An_impossible_mark_is_absurd(string mark, string expected)
    {
        var body = Fixture.Read("binance/premiumIndex.BTCUSDT.json").Replace("\"97012.40000000\"", $"\"{mark}\"", StringComparison.Ordinal);
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(body));
        _server.Get("/fapi/v1/ticker/24hr", FakeResponse.Json(Fixture.Read("binance/ticker24hr.BTCUSDT.json")));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetTickersAsync(["BTCUSDT"], default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("BTCUSDT", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"E":1,"bids":[],"asks":[["97010.1","0.25"]]}""", "empty side")]
    [InlineData("""{"E":1,"bids":[["97010.0","0.5"]],"asks":[]}""", "empty side")]
    [InlineData("""{"E":1,"bids":[["97020.0","0.5"]],"asks":[["97010.1","0.25"]]}""", "crossed")]
    [InlineData("""{"E":1,"bids":[["0","0.5"]],"asks":[["97010.1","0.25"]]}""", "crossed")]
    [InlineData("""{"E":1,"bids":[["97010.0","-1"]],"asks":[["97010.1","0.25"]]}""", "crossed")]
    public async Task An_empty_crossed_or_zero_book_is_absurd(string body, string expected)
    {
        _server.Get("/fapi/v1/depth", FakeResponse.Json(body));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOrderBookAsync("BTCUSDT", 5, default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("BTCUSDT order book", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bar_whose_high_is_below_its_close_is_absurd()
    {
        _server.Get("/fapi/v1/klines", FakeResponse.Json("""[[1795240800000,"96650.10","96700.00","96510.20","96902.30","4123.551",1795244399999,"1","1","1","1","0"]]"""));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 1, default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("high", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_open_interest_is_absurd()
    {
        _server.Get("/fapi/v1/openInterest", FakeResponse.Json("""{"openInterest":"-5","symbol":"BTCUSDT","time":1795251597412}"""));
        _server.Get("/fapi/v1/premiumIndex", FakeResponse.Json(Fixture.Read("binance/premiumIndex.BTCUSDT.json")));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestAsync("BTCUSDT", default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("open interest", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_body_is_read_back_from_the_message()
    {
        Assert.True(BinanceClient.TryReadError("binance /x: HTTP 400 ({\"code\":-1121,\"msg\":\"Invalid symbol.\"})", out var code, out var msg));
        Assert.Equal((-1121L, "Invalid symbol."), (code, msg));
        Assert.False(BinanceClient.TryReadError("binance /x: HTTP 400 ({\"error\":\"x\"})", out _, out _));
        Assert.False(BinanceClient.TryReadError("binance /x: HTTP 400 ({\"code\":-1121,\"msg\":\"Inval…)", out _, out _));
    }
}
