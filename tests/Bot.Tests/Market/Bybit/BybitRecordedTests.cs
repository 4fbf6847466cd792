using System.Text.Json.Nodes;
using PerpGuard.Bot.Market.Venues.Bybit;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market.Bybit;

/// <summary>
/// The Bybit client over the recordings and doc examples in ../shared/fixtures/market/bybit (see its SOURCES.md).
/// No linear REST tickers answer was ever recorded; the recorded WebSocket snapshots carry the same ticker fields, so
/// their <c>data</c> is served inside a REST envelope to check the field names and string types against real data.
/// </summary>
public sealed class BybitRecordedTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private LoopbackServer _server = null!;
    private BybitClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _client = new BybitClient(VenueClients.Http(_server, time: _clock), _clock);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static FakeResponse Recorded(string file) => FakeResponse.Json(SharedFixtures.Read("bybit/" + file));

    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    // A WS tickers snapshot's data as the single row of a REST answer, stamped with the snapshot's ts.
    private static FakeResponse SnapshotAsRest(string file, string category)
    {
        var ws = JsonNode.Parse(SharedFixtures.Read("bybit/" + file))!;
        var rest = new JsonObject
        {
            ["retCode"] = 0, ["retMsg"] = "OK",
            ["result"] = new JsonObject { ["category"] = category, ["list"] = new JsonArray(ws["data"]!.DeepClone()) },
            ["retExtInfo"] = new JsonObject(), ["time"] = ws["ts"]!.DeepClone(),
        };
        return FakeResponse.Json(rest.ToJsonString());
    }

    [SharedFixtureFact]
    public async Task Recorded_linear_ticker_fields_parse_and_open_interest_is_halved_without_a_single_side()
    {
        _server.Get("/v5/market/tickers", SnapshotAsRest("ws_tickers.BTCUSDT.snapshot.json", "linear"));

        var t = Assert.Single(await _client.GetTickersAsync(["BTCUSDT"], default));

        Assert.Equal(Ms(1715748762463), t.Time);
        Assert.Equal((61875.25, 61903.73, 61874.00), (t.Mark, t.Index, t.Last));
        Assert.Equal(0.00008055, t.FundingRate);
        Assert.Equal(Ms(1715760000000), t.NextFunding);
        Assert.True(double.IsNaN(t.FundingIntervalHours)); // the May 2024 snapshot predates fundingIntervalHour
        Assert.Equal((98430.105, 6073739017.8331), (t.Volume24h, t.QuoteVolume24h));
        Assert.Equal(58117.022 / 2, t.OpenInterest); // the recorded 2024 feed has no singleOpenInterest yet

        var oi = await _client.GetOpenInterestAsync("BTCUSDT", default);
        Assert.Equal(new OpenInterestPoint(Ms(1715748762463), 58117.022 / 2, 58117.022 / 2 * 61875.25), oi);
    }

    [SharedFixtureFact]
    public async Task Recorded_inverse_ticker_has_usd_open_interest_and_usd_volume()
    {
        _server.Get("/v5/market/tickers", SnapshotAsRest("ws_tickers.BTCUSD_inverse.snapshot.json", "inverse"));

        var t = Assert.Single(await _client.GetTickersAsync(["BTCUSD"], default));

        Assert.Equal("inverse", _server.To("/v5/market/tickers")[0].Param("category"));
        Assert.Equal((61894.00, 61923.36, 0.0001), (t.Mark, t.Index, t.FundingRate));
        Assert.Equal((6363.5775, 391976479.0), (t.Volume24h, t.QuoteVolume24h));
        Assert.Equal(931760496 / 2.0 / 61894.00, t.OpenInterest);
    }

    [SharedFixtureFact]
    public async Task Doc_example_rest_tickers_inverse_and_spot()
    {
        _server.On("GET", "/v5/market/tickers", r => r.Param("category") == "spot"
            ? Recorded("doc_examples/tickers.spot.doc.json")
            : Recorded("doc_examples/tickers.inverse.doc.json"));

        var t = Assert.Single(await _client.GetTickersAsync(["BTCUSD"], default));
        Assert.Equal(Ms(1760352369814), t.Time);
        Assert.Equal((114898.43, 114890.92, 120635.50), (t.Mark, t.Index, t.Last));
        Assert.Equal((0.0001, 8.0, Ms(1760371200000)), (t.FundingRate, t.FundingIntervalHours, t.NextFunding!.Value));
        Assert.Equal((115.6907, 13713832.0), (t.Volume24h, t.QuoteVolume24h));
        Assert.Equal(240113967 / 2.0 / 114898.43, t.OpenInterest);

        var spot = await _client.GetSpotTickerAsync("BTCUSDT", default);
        Assert.Equal(("BTCUSDT", 20533.13, 243765620.65899866, Ms(1673859087947)), (spot!.Symbol, spot.Price, spot.QuoteVolume24h, spot.Time));
    }

    [SharedFixtureFact]
    public async Task Doc_example_linear_ws_ticker_fields_parse()
    {
        _server.Get("/v5/market/tickers", SnapshotAsRest("doc_examples/ws_tickers.linear.doc.json", "linear"));

        var t = Assert.Single(await _client.GetTickersAsync(["BTCUSDT"], default));

        Assert.Equal((66666.60, 115418.19, -0.005, 8.0), (t.Mark, t.Index, t.FundingRate, t.FundingIntervalHours));
        Assert.Equal(492373.72 / 2, t.OpenInterest);
    }

    [SharedFixtureFact]
    public async Task Doc_example_order_book()
    {
        _server.Get("/v5/market/orderbook", Recorded("doc_examples/orderbook.doc.json"));

        var book = await _client.GetOrderBookAsync("BTCUSDT", 25, default);

        Assert.Equal(Ms(1716863719031), book.Time);
        Assert.Equal(new BookLevel(65485.47, 47.081829), Assert.Single(book.Bids));
        Assert.Equal(new BookLevel(65557.7, 16.606555), Assert.Single(book.Asks));
    }

    [SharedFixtureFact]
    public async Task Doc_example_inverse_klines_are_reversed_and_volume_is_turnover()
    {
        _server.Get("/v5/market/kline", Recorded("doc_examples/kline.doc.json"));

        var bars = await _client.GetBarsAsync("BTCUSD", MarketKind.Perp, TimeSpan.FromHours(1), 3, default);

        Assert.Equal([Ms(1670601600000), Ms(1670605200000), Ms(1670608800000)], bars.Select(b => b.OpenTime));
        var newest = bars[^1];
        Assert.Equal((17071.0, 17073.0, 17027.0, 17055.5), (newest.Open, newest.High, newest.Low, newest.Close));
        Assert.Equal((15.74462667, 268611.0), (newest.Volume, newest.QuoteVolume));
        Assert.True(double.IsNaN(newest.TakerBuyVolume));
    }

    [SharedFixtureFact]
    public async Task Doc_example_inverse_open_interest_history_uses_the_single_side_in_usd()
    {
        _server.Get("/v5/market/open-interest", Recorded("doc_examples/open_interest.doc.json"));
        // No mark klines were recorded for those days: ours, one per timestamp.
        long[] days = [1780617600000, 1780704000000, 1780790400000, 1780876800000, 1780963200000];
        var marks = new JsonArray([.. days.Reverse().Select((d, i) => (JsonNode)new JsonArray(d.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{100000 + i}", $"{100100 + i}", $"{99900 + i}", $"{100000 + i}"))]);
        _server.Get("/v5/market/mark-price-kline", FakeResponse.Json(new JsonObject { ["retCode"] = 0, ["retMsg"] = "OK", ["result"] = new JsonObject { ["list"] = marks }, ["time"] = 1780994051392 }.ToJsonString()));

        var history = await _client.GetOpenInterestHistoryAsync("BTCUSD", TimeSpan.FromDays(1), 5, default);

        Assert.Equal(days.Select(Ms), history.Select(p => p.Time));
        Assert.Equal(new OpenInterestPoint(Ms(1780617600000), 31971156 / 100004.0, 31971156), history[0]);
        Assert.Equal(new OpenInterestPoint(Ms(1780963200000), 31955346 / 100000.0, 31955346), history[^1]);
        var request = Assert.Single(_server.To("/v5/market/open-interest"));
        Assert.Equal(("inverse", "1d"), (request.Param("category"), request.Param("intervalTime")));
    }

    [SharedFixtureFact]
    public async Task Recorded_risk_limits_make_a_two_tier_table()
    {
        _server.Get("/v5/market/risk-limit", Recorded("risk_limit.linear.BTCUSDT.recorded_trimmed.json"));
        _server.Get("/v5/market/instruments-info", Recorded("doc_examples/instruments_info.linear.doc.json"));

        var table = await _client.GetTiersAsync("BTCUSDT", default);

        Assert.NotNull(table);
        // Trimmed to the first two tiers by the recorder; the envelope time is its synthetic 1700000000000.
        Assert.Equal([new MarginTier(0, 300000, 0.0033, 0, 150), new MarginTier(300000, 2000000, 0.005, 510, 100)], table.Tiers.ToArray());
        Assert.Equal((Venue.Bybit, ContractType.Linear, 0.1, new DateOnly(2023, 11, 14)), (table.Venue, table.Contract, table.TickSize, table.Taken));
        // The deduction keeps maintenance margin continuous at the first cap: 300000 × 0.0033 = 300000 × 0.005 − 510.
        Assert.Equal(300000 * 0.0033, 300000 * 0.005 - table.Tiers[1].MaintenanceAmount, 1e-9);
    }
}
