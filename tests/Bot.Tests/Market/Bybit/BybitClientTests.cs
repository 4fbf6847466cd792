using System.Globalization;
using System.Text.Json.Nodes;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Bot.Market.Venues.Bybit;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market.Bybit;

/// <summary>The Bybit client over this repository's own fixtures, served by a real loopback server.</summary>
public sealed class BybitClientTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private LoopbackServer _server = null!;
    private VenueHttpFactory _http = null!;
    private BybitClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _http = VenueClients.Http(_server, time: _clock);
        _client = new BybitClient(_http, _clock);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static FakeResponse Bybit(string fixture) => FakeResponse.Json(Fixture.Read("bybit/" + fixture));

    private static FakeResponse SymbolInvalid => Bybit("error.symbol_invalid.json");

    // /v5/market/tickers as Bybit answers it: per category, one symbol or all of them; an unknown symbol is retCode 10001.
    private void ServeTickers() => _server.On("GET", "/v5/market/tickers", r => (r.Param("category"), r.Param("symbol")) switch
    {
        ("linear", null) => Bybit("tickers.linear.all.json"),
        ("linear", "BTCUSDT") => Bybit("tickers.linear.BTCUSDT.json"),
        ("linear", var s) => OneOf("tickers.linear.all.json", s!),
        ("inverse", "BTCUSD") => Bybit("tickers.inverse.BTCUSD.json"),
        ("spot", "BTCUSDT") => Bybit("tickers.spot.BTCUSDT.json"),
        _ => SymbolInvalid,
    });

    private static FakeResponse OneOf(string fixture, string symbol)
    {
        var doc = JsonNode.Parse(Fixture.Read("bybit/" + fixture))!;
        var list = doc["result"]!["list"]!.AsArray();
        var row = list.FirstOrDefault(e => (string?)e!["symbol"] == symbol);
        if (row is null) return SymbolInvalid;
        doc["result"]!["list"] = new JsonArray(row.DeepClone());
        return FakeResponse.Json(doc.ToJsonString());
    }

    // ---- tickers ----

    [Fact]
    public async Task A_linear_ticker_reads_every_field_and_one_side_open_interest()
    {
        ServeTickers();

        var t = Assert.Single(await _client.GetTickersAsync(["btcusdt"], default));

        Assert.Equal("BTCUSDT", t.Symbol);
        Assert.Equal(Ms(1795251598321), t.Time);
        Assert.Equal(97010.05, t.Mark);
        Assert.Equal(97051.37, t.Index);
        Assert.Equal(97008.50, t.Last);
        Assert.Equal(0.00006875, t.FundingRate);
        Assert.Equal(8, t.FundingIntervalHours);
        Assert.Equal(Ms(1795276800000), t.NextFunding);
        Assert.Equal(82140.552, t.Volume24h);
        Assert.Equal(7931204411.2231, t.QuoteVolume24h);
        Assert.Equal(30620.059, t.OpenInterest); // singleOpenInterest, not the two-sided 61240.118
        var request = Assert.Single(_server.To("/v5/market/tickers"));
        Assert.Equal(("linear", "BTCUSDT"), (request.Param("category"), request.Param("symbol")));
    }

    [Fact]
    public async Task An_inverse_ticker_swaps_volume_units_and_turns_usd_open_interest_into_coins()
    {
        ServeTickers();

        var t = Assert.Single(await _client.GetTickersAsync(["BTCUSD"], default));

        Assert.Equal(("inverse", "BTCUSD"), (_server.To("/v5/market/tickers")[0].Param("category"), _server.To("/v5/market/tickers")[0].Param("symbol")));
        Assert.Equal(97024.00, t.Mark);
        Assert.Equal(2110.4412, t.Volume24h); // turnover24h is in BTC for inverse
        Assert.Equal(204190330, t.QuoteVolume24h); // volume24h is USD contracts
        Assert.Equal(310220050 / 97024.00, t.OpenInterest);
    }

    [Fact]
    public async Task Many_symbols_take_one_bulk_call_per_category_and_unlisted_ones_are_left_out()
    {
        ServeTickers();

        var tickers = await _client.GetTickersAsync(["BTCUSDT", "ETHUSDT", "1000PEPEUSDT", "SOLUSDT", "DOGEUSDT", "BTCUSD"], default);

        Assert.Equal(["1000PEPEUSDT", "BTCUSD", "BTCUSDT", "ETHUSDT", "SOLUSDT"], tickers.Select(t => t.Symbol).Order(StringComparer.Ordinal));
        var requests = _server.To("/v5/market/tickers");
        Assert.Equal(2, requests.Count);
        Assert.Contains(requests, r => r.Param("category") == "linear" && r.Param("symbol") is null);
        Assert.Contains(requests, r => r.Param("category") == "inverse" && r.Param("symbol") == "BTCUSD");

        var eth = tickers.Single(t => t.Symbol == "ETHUSDT"); // JSON numbers; no singleOpenInterest: half the two-sided sum
        Assert.Equal(3412.3, eth.Mark);
        Assert.Equal(-0.000012, eth.FundingRate);
        Assert.Equal(1210442.5 / 2, eth.OpenInterest);
        Assert.Equal(Ms(1795276800000), eth.NextFunding);

        var pepe = tickers.Single(t => t.Symbol == "1000PEPEUSDT");
        Assert.Equal(2, pepe.FundingIntervalHours);
        Assert.Equal(0.0001 / 2, pepe.FundingPerHour);
        Assert.Equal(45105650200, pepe.OpenInterest);

        var sol = tickers.Single(t => t.Symbol == "SOLUSDT"); // "" and null: unknown, never zero
        Assert.Equal(241.30, sol.Mark);
        Assert.True(double.IsNaN(sol.Index));
        Assert.True(double.IsNaN(sol.FundingRate));
        Assert.True(double.IsNaN(sol.FundingIntervalHours));
        Assert.Null(sol.NextFunding);
        Assert.True(double.IsNaN(sol.OpenInterest));
        Assert.True(double.IsNaN(sol.QuoteVolume24h));
        Assert.Equal(5012201.4, sol.Volume24h);
    }

    [Fact]
    public async Task A_few_symbols_are_asked_one_by_one_and_an_unknown_one_is_left_out()
    {
        ServeTickers();

        var tickers = await _client.GetTickersAsync(["ETHUSDT", "NOPEUSDT", "XRPUSDT"], default);

        Assert.Equal(["ETHUSDT", "XRPUSDT"], tickers.Select(t => t.Symbol).Order(StringComparer.Ordinal));
        Assert.Equal(["ETHUSDT", "NOPEUSDT", "XRPUSDT"], _server.To("/v5/market/tickers").Select(r => r.Param("symbol")).Order(StringComparer.Ordinal));
        Assert.Equal(155110057, tickers.Single(t => t.Symbol == "XRPUSDT").OpenInterest);
    }

    // ---- open interest ----

    [Fact]
    public async Task Open_interest_is_one_side_in_coins_and_usd()
    {
        ServeTickers();

        var linear = await _client.GetOpenInterestAsync("BTCUSDT", default);
        var inverse = await _client.GetOpenInterestAsync("BTCUSD", default);
        var halved = await _client.GetOpenInterestAsync("ETHUSDT", default);

        Assert.Equal(new OpenInterestPoint(Ms(1795251598321), 30620.059, 30620.059 * 97010.05), linear);
        Assert.Equal(new OpenInterestPoint(Ms(1795251598402), 310220050 / 97024.00, 310220050), inverse);
        Assert.Equal(1210442.5 / 2, halved.Coins);
        Assert.Equal(1210442.5 / 2 * 3412.3, halved.Usd);
    }

    [Fact]
    public async Task Open_interest_of_an_unknown_symbol_is_UnknownSymbol()
    {
        ServeTickers();

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestAsync("NOPEUSDT", default));

        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.Contains("10001", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NOPEUSDT", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_interest_history_is_oldest_first_and_valued_at_each_hours_mark()
    {
        _server.Get("/v5/market/open-interest", Bybit("open-interest.BTCUSDT.1h.json"));
        _server.Get("/v5/market/mark-price-kline", Bybit("mark-price-kline.BTCUSDT.60.json"));

        var history = await _client.GetOpenInterestHistoryAsync("BTCUSDT", TimeSpan.FromHours(1), 3, default);

        Assert.Equal(
            [
                new OpenInterestPoint(Ms(1795244400000), 30494.01, 30494.01 * 96901.50),
                new OpenInterestPoint(Ms(1795248000000), 30595.2, 30595.2 * 97100.20),
                new OpenInterestPoint(Ms(1795251600000), 30620.059, 30620.059 * 96988.10),
            ], history);
        var oi = Assert.Single(_server.To("/v5/market/open-interest"));
        Assert.Equal(("linear", "BTCUSDT", "1h", "3"), (oi.Param("category"), oi.Param("symbol"), oi.Param("intervalTime"), oi.Param("limit")));
        var marks = Assert.Single(_server.To("/v5/market/mark-price-kline"));
        Assert.Equal(("linear", "60", "3"), (marks.Param("category"), marks.Param("interval"), marks.Param("limit")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.GetOpenInterestHistoryAsync("BTCUSDT", TimeSpan.FromHours(2), 3, default));
    }

    [Fact]
    public async Task Open_interest_history_without_mark_prices_is_absurd()
    {
        _server.Get("/v5/market/open-interest", Bybit("open-interest.BTCUSDT.1h.json"));
        _server.Get("/v5/market/mark-price-kline", FakeResponse.Json("""{"retCode":0,"retMsg":"OK","result":{"symbol":"BTCUSDT","category":"linear","list":[]},"time":1}"""));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestHistoryAsync("BTCUSDT", TimeSpan.FromHours(1), 3, default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("mark price", ex.Message, StringComparison.Ordinal);
    }

    // ---- order book ----

    [Theory]
    [InlineData("BTCUSDT", 10, "linear", "10", 10)]
    [InlineData("BTCUSDT", 5000, "linear", "1000", 25)]
    [InlineData("BTCUSD", 500, "inverse", "200", 25)]
    [InlineData("BTCUSDT", 0, "linear", "1", 1)]
    public async Task Book_limit_is_clamped_per_category(string symbol, int depth, string category, string limit, int levels)
    {
        _server.Get("/v5/market/orderbook", Bybit("orderbook.BTCUSDT.json"));

        var book = await _client.GetOrderBookAsync(symbol, depth, default);

        var request = Assert.Single(_server.To("/v5/market/orderbook"));
        Assert.Equal((category, symbol, limit), (request.Param("category"), request.Param("symbol"), request.Param("limit")));
        Assert.Equal((levels, levels), (book.Bids.Length, book.Asks.Length));
    }

    [Fact]
    public async Task Book_levels_and_time_are_read()
    {
        _server.Get("/v5/market/orderbook", Bybit("orderbook.BTCUSDT.json"));

        var book = await _client.GetOrderBookAsync("BTCUSDT", 50, default);

        Assert.Equal(Ms(1795251598190), book.Time);
        Assert.Equal(new BookLevel(97010.0, 0.01), book.Bids[0]);
        Assert.Equal(new BookLevel(97010.1, 1.5), book.Asks[0]);
        Assert.Equal(new BookLevel(97007.6, 0.25), book.Bids[^1]);
        Assert.Equal(new BookLevel(97012.5, 1.5), book.Asks[^1]);
    }

    [Fact]
    public async Task A_thousand_level_book_is_read_whole()
    {
        var bids = string.Join(',', Enumerable.Range(0, 1000).Select(i => $"[\"{(97000 - i * 0.1).ToString("0.0", CultureInfo.InvariantCulture)}\",\"0.5\"]"));
        var asks = string.Join(',', Enumerable.Range(0, 1000).Select(i => $"[\"{(97000.1 + i * 0.1).ToString("0.0", CultureInfo.InvariantCulture)}\",\"0.75\"]"));
        _server.Get("/v5/market/orderbook", FakeResponse.Json($$"""{"retCode":0,"retMsg":"OK","result":{"s":"BTCUSDT","b":[{{bids}}],"a":[{{asks}}],"ts":1795251598190,"u":1},"time":1795251598230}"""));

        var book = await _client.GetOrderBookAsync("BTCUSDT", 1000, default);

        Assert.Equal((1000, 1000), (book.Bids.Length, book.Asks.Length));
        Assert.Equal(new BookLevel(96900.1, 0.5), book.Bids[^1]);
        Assert.Equal(new BookLevel(97100.0, 0.75), book.Asks[^1]);
    }

    // ---- bars ----

    [Fact]
    public async Task Linear_bars_are_reversed_to_oldest_first_with_no_taker_volume()
    {
        _server.Get("/v5/market/kline", Bybit("kline.BTCUSDT.60.json"));

        var bars = await _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 3, default);

        Assert.Equal([Ms(1795244400000), Ms(1795248000000), Ms(1795251600000)], bars.Select(b => b.OpenTime));
        var first = bars[0];
        Assert.Equal((96903.20, 97252.10, 96848.10, 97102.00), (first.Open, first.High, first.Low, first.Close));
        Assert.Equal(3981.004, first.Volume);
        Assert.Equal(386611402.55, first.QuoteVolume);
        Assert.True(double.IsNaN(first.TakerBuyVolume));
        Assert.Equal([true, true, false], bars.Select(b => b.Closed));
        var request = Assert.Single(_server.To("/v5/market/kline"));
        Assert.Equal(("linear", "BTCUSDT", "60", "3"), (request.Param("category"), request.Param("symbol"), request.Param("interval"), request.Param("limit")));
    }

    [Fact]
    public async Task Inverse_bars_give_volume_in_coins_and_usd_as_quote()
    {
        _server.Get("/v5/market/kline", Bybit("kline.inverse.BTCUSD.60.json"));

        var bars = await _client.GetBarsAsync("BTCUSD", MarketKind.Perp, TimeSpan.FromHours(1), 2, default);

        Assert.Equal("inverse", Assert.Single(_server.To("/v5/market/kline")).Param("category"));
        Assert.Equal(74.3852, bars[0].Volume);
        Assert.Equal(7220130, bars[0].QuoteVolume);
        Assert.Equal(52.6127, bars[1].Volume);
    }

    [Theory]
    [InlineData("BTCUSDT", "BTCUSDT")]
    [InlineData("BTCUSD", "BTCUSDT")]
    [InlineData("1000PEPEUSDT", "PEPEUSDT")]
    public async Task Spot_bars_use_the_spot_category_and_pair(string perp, string spot)
    {
        _server.Get("/v5/market/kline", Bybit("kline.spot.BTCUSDT.60.json"));

        var bars = await _client.GetBarsAsync(perp, MarketKind.Spot, TimeSpan.FromHours(1), 2, default);

        var request = Assert.Single(_server.To("/v5/market/kline"));
        Assert.Equal(("spot", spot), (request.Param("category"), request.Param("symbol")));
        Assert.Equal(2, bars.Count);
        Assert.Equal(401.22011, bars[1].Volume);
        Assert.Equal(38944012.3311, bars[1].QuoteVolume);
        Assert.True(bars[1].Closed);
    }

    // ---- spot ticker ----

    [Fact]
    public async Task Spot_ticker_reads_the_spot_category()
    {
        ServeTickers();

        var spot = await _client.GetSpotTickerAsync("BTCUSD", default);

        Assert.NotNull(spot);
        Assert.Equal(("BTCUSDT", 97041.12, 1322041188.40312, Ms(1795251598450)), (spot.Symbol, spot.Price, spot.QuoteVolume24h, spot.Time));
        var request = Assert.Single(_server.To("/v5/market/tickers"));
        Assert.Equal(("spot", "BTCUSDT"), (request.Param("category"), request.Param("symbol")));
        Assert.Null(await _client.GetSpotTickerAsync("NEWCOINUSDT", default));
    }

    // ---- tiers ----

    [Fact]
    public async Task Risk_limits_become_a_tier_table()
    {
        _server.Get("/v5/market/risk-limit", Bybit("risk-limit.linear.BTCUSDT.json"));
        _server.Get("/v5/market/instruments-info", Bybit("instruments-info.linear.BTCUSDT.json"));

        var table = await _client.GetTiersAsync("BTCUSDT", default);

        Assert.NotNull(table);
        Assert.Equal((Venue.Bybit, ContractType.Linear, "BTCUSDT", "BTC", "USDT", TierBasis.Notional), (table.Venue, table.Contract, table.Symbol, table.BaseAsset, table.Settle, table.Basis));
        Assert.Null(table.ContractSize);
        Assert.Equal(0.1, table.TickSize);
        Assert.Equal(new DateOnly(2026, 11, 21), table.Taken);
        Assert.Equal(
            [
                new MarginTier(0, 300000, 0.0033, 0, 150),
                new MarginTier(300000, 2000000, 0.005, 510, 100),
                new MarginTier(2000000, 2600000, 0.0056, 1710, 90),
                new MarginTier(2600000, 3200000, 0.0063, 3530, 80),
            ], table.Tiers.ToArray());
        // MM = notional × rate − deduction is continuous at every cap.
        for (var i = 1; i < table.Tiers.Length; i++)
        {
            var (below, above) = (table.Tiers[i - 1], table.Tiers[i]);
            Assert.Equal(below.Cap * below.MaintenanceRate - below.MaintenanceAmount, above.Floor * above.MaintenanceRate - above.MaintenanceAmount, 1e-6);
        }
        var request = Assert.Single(_server.To("/v5/market/risk-limit"));
        Assert.Equal(("linear", "BTCUSDT"), (request.Param("category"), request.Param("symbol")));
        Assert.Equal("BTCUSDT", Assert.Single(_server.To("/v5/market/instruments-info")).Param("symbol"));
    }

    [Fact]
    public async Task Risk_limits_follow_the_page_cursor()
    {
        var doc = JsonNode.Parse(Fixture.Read("bybit/risk-limit.linear.BTCUSDT.json"))!;
        var list = doc["result"]!["list"]!.AsArray();
        var first = doc.DeepClone();
        first["result"]!["list"] = new JsonArray(list[0]!.DeepClone(), list[1]!.DeepClone());
        first["result"]!["nextPageCursor"] = "page%3D2";
        var second = doc.DeepClone();
        second["result"]!["list"] = new JsonArray(list[2]!.DeepClone(), list[3]!.DeepClone());
        _server.On("GET", "/v5/market/risk-limit", r => FakeResponse.Json((r.Param("cursor") is null ? first : second).ToJsonString()));
        _server.Get("/v5/market/instruments-info", Bybit("instruments-info.linear.BTCUSDT.json"));

        var table = await _client.GetTiersAsync("BTCUSDT", default);

        Assert.Equal(4, table!.Tiers.Length);
        Assert.Equal([null, "page%3D2"], _server.To("/v5/market/risk-limit").Select(r => r.Param("cursor")));
    }

    [Fact]
    public async Task A_maintenance_rate_above_the_initial_margin_is_absurd()
    {
        // The old docs example: "0.5" meant 0.5%, which as a fraction is far above 1/100x.
        _server.Get("/v5/market/risk-limit", FakeResponse.Json("""{"retCode":0,"retMsg":"OK","result":{"category":"inverse","list":[{"id":1,"symbol":"BTCUSD","riskLimitValue":"150","maintenanceMargin":"0.5","initialMargin":"1","isLowestRisk":1,"maxLeverage":"100.00","mmDeduction":""}],"nextPageCursor":""},"time":1795251598600}"""));
        _server.Get("/v5/market/instruments-info", FakeResponse.Json("""{"retCode":0,"retMsg":"OK","result":{"category":"inverse","list":[{"symbol":"BTCUSD","priceFilter":{"tickSize":"0.50"}}]},"time":1795251598600}"""));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetTiersAsync("BTCUSD", default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("maintenance rate 0.5", ex.Message, StringComparison.Ordinal);
        Assert.Equal("inverse", _server.To("/v5/market/risk-limit")[0].Param("category"));
    }

    [Fact]
    public async Task Inverse_risk_limits_are_coin_settled_with_one_dollar_contracts()
    {
        _server.Get("/v5/market/risk-limit", FakeResponse.Json("""{"retCode":0,"retMsg":"OK","result":{"category":"inverse","list":[{"id":1,"symbol":"BTCUSD","riskLimitValue":"150","maintenanceMargin":"0.005","initialMargin":"0.01","isLowestRisk":1,"maxLeverage":"100.00","mmDeduction":""}],"nextPageCursor":""},"time":1795251598600}"""));
        _server.Get("/v5/market/instruments-info", FakeResponse.Json("""{"retCode":0,"retMsg":"OK","result":{"category":"inverse","list":[{"symbol":"BTCUSD","priceFilter":{"tickSize":"0.50"}}]},"time":1795251598600}"""));

        var table = await _client.GetTiersAsync("BTCUSD", default);

        Assert.Equal((ContractType.Inverse, "BTC", 1.0, 0.5), (table!.Contract, table.Settle, table.ContractSize, table.TickSize));
        Assert.Equal(new MarginTier(0, 150, 0.005, 0, 100), Assert.Single(table.Tiers.ToArray()));
    }

    // ---- faults ----

    [Fact]
    public async Task An_error_inside_http_200_is_UnknownSymbol_or_VenueError()
    {
        _server.Get("/v5/market/orderbook", SymbolInvalid);
        var unknown = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOrderBookAsync("NOPEUSDT", 50, default));
        Assert.Equal(MarketFault.UnknownSymbol, unknown.Fault);
        Assert.Equal(Venue.Bybit, unknown.Venue);
        Assert.Contains("10001", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("symbol invalid", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("NOPEUSDT", unknown.Message, StringComparison.Ordinal);

        _server.Get("/v5/market/kline", FakeResponse.Json("""{"retCode":10016,"retMsg":"Server error.","result":{},"retExtInfo":{},"time":1795251598700}"""));
        var server = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 3, default));
        Assert.Equal(MarketFault.VenueError, server.Fault);
        Assert.Contains("10016", server.Message, StringComparison.Ordinal);
        Assert.Contains("Server error", server.Message, StringComparison.Ordinal);

        _server.Get("/v5/market/risk-limit", FakeResponse.Json("""{"retCode":10029,"retMsg":"The requested symbol is not whitelisted.","result":null,"time":1}"""));
        _server.Get("/v5/market/instruments-info", Bybit("instruments-info.linear.BTCUSDT.json"));
        var whitelisted = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetTiersAsync("BTCUSDT", default));
        Assert.Equal(MarketFault.UnknownSymbol, whitelisted.Fault);
    }

    [Fact]
    public async Task A_403_without_retry_after_blocks_bybit_for_ten_minutes_without_further_requests()
    {
        _server.Get("/v5/market/orderbook", FakeResponse.Error(403, "access too frequent", "text/plain"));

        var first = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOrderBookAsync("BTCUSDT", 50, default));
        Assert.Equal(MarketFault.RateLimited, first.Fault);
        Assert.Null(first.RetryAfter);
        Assert.Contains("403", first.Message, StringComparison.Ordinal);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(10), _http.Limiter(Venue.Bybit).BlockedUntil);

        _clock.Advance(TimeSpan.FromMinutes(9));
        var blocked = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetTickersAsync(["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"], default));
        Assert.Equal(MarketFault.RateLimited, blocked.Fault);
        Assert.Equal(TimeSpan.FromMinutes(1), blocked.RetryAfter);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_stalled_server_is_a_timeout()
    {
        var client = new BybitClient(VenueClients.Http(_server, timeout: TimeSpan.FromMilliseconds(300), time: _clock), _clock);
        _server.Get("/v5/market/kline", Bybit("kline.BTCUSDT.60.json") with { Delay = TimeSpan.FromSeconds(10) });

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 3, default));

        Assert.Equal(MarketFault.Timeout, ex.Fault);
        Assert.Contains("/v5/market/kline", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v5/market/tickers", """{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT","markPrice":"970""")]
    [InlineData("/v5/market/orderbook", """{"retCode":0,"retMsg":"OK","result":{"s":"BTCUSDT","b":[["97010.0","0.01"],["970""")]
    [InlineData("/v5/market/kline", """{"retCode":0,"retMsg":"OK","result":{"list":[["1795251600000","96990.10","97022.00""")]
    [InlineData("/v5/market/orderbook", """{"code":0,"data":{"bids":[],"asks":[]}}""")]
    [InlineData("/v5/market/tickers", """{"retCode":0,"retMsg":"OK","time":1795251598321}""")]
    public async Task Truncated_or_foreign_json_is_malformed(string path, string body)
    {
        _server.Get(path, FakeResponse.Json(body));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => path switch
        {
            "/v5/market/tickers" => _client.GetTickersAsync(["BTCUSDT"], default),
            "/v5/market/orderbook" => _client.GetOrderBookAsync("BTCUSDT", 50, default),
            _ => (Task)_client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 3, default),
        });

        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.StartsWith("bybit ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_html_error_page_says_so()
    {
        _server.Get("/v5/market/tickers", FakeResponse.Html(502));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOpenInterestAsync("BTCUSDT", default));

        Assert.Equal(MarketFault.Http, ex.Fault);
        Assert.Contains("HTML", ex.Message, StringComparison.Ordinal);
        Assert.Contains("502", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-97010.05")]
    [InlineData("NaN")]
    [InlineData("")]
    public async Task An_impossible_mark_is_absurd(string mark)
    {
        var body = Fixture.Read("bybit/tickers.linear.BTCUSDT.json").Replace("\"markPrice\":\"97010.05\"", $"\"markPrice\":\"{mark}\"", StringComparison.Ordinal);
        _server.Get("/v5/market/tickers", FakeResponse.Json(body));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetTickersAsync(["BTCUSDT"], default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("BTCUSDT ticker: mark price", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""", """[["97010.1","1.5"]]""", "empty side")]
    [InlineData("""[["97010.0","0.01"]]""", """[]""", "empty side")]
    [InlineData("""[["97011.0","0.01"]]""", """[["97010.1","1.5"]]""", "crossed")]
    [InlineData("""[["97010.0","0"],["97009.9","NaN"]]""", """[["97010.1","1.5"]]""", "crossed")]
    public async Task An_empty_crossed_or_broken_book_is_absurd(string bids, string asks, string expected)
    {
        _server.Get("/v5/market/orderbook", FakeResponse.Json($$"""{"retCode":0,"retMsg":"OK","result":{"s":"BTCUSDT","b":{{bids}},"a":{{asks}},"ts":1},"time":1}"""));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetOrderBookAsync("BTCUSDT", 50, default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("BTCUSDT order book", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bar_with_a_zero_price_is_absurd()
    {
        _server.Get("/v5/market/kline", FakeResponse.Json("""{"retCode":0,"retMsg":"OK","result":{"list":[["1795248000000","0","97131.50","96877.70","96990.10","1","1"]]},"time":1}"""));

        var ex = await Assert.ThrowsAsync<MarketDataException>(() => _client.GetBarsAsync("BTCUSDT", MarketKind.Perp, TimeSpan.FromHours(1), 1, default));

        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("bar price", ex.Message, StringComparison.Ordinal);
    }
}
