using PerpGuard.Bot.Market;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;
using static PerpGuard.Bot.Tests.Market.Okx.OkxTestServer;

namespace PerpGuard.Bot.Tests.Market.Okx;

/// <summary>The OKX client against this repository's own fixtures, served over loopback.</summary>
public sealed class OkxClientTests
{
    private static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [Fact]
    public async Task Tickers_join_bulk_marks_tickers_and_indexes_with_per_symbol_funding()
    {
        await using var server = await StartAsync();
        var tickers = await server.Client().GetTickersAsync(
            ["BTC-USDT-SWAP", "SOL-USDT-SWAP", "BTC-USD-SWAP", "XRP-USDT-SWAP", "btc-usdt-swap"], CancellationToken.None);

        Assert.Equal(["BTC-USDT-SWAP", "SOL-USDT-SWAP", "BTC-USD-SWAP"], tickers.Select(t => t.Symbol));
        var btc = tickers[0];
        Assert.Equal(Ms(1795252798000), btc.Time);
        Assert.Equal(92318.4, btc.Mark);
        Assert.Equal(92311.3, btc.Index);
        Assert.Equal(92320.1, btc.Last);
        Assert.Equal(0.0000921774511212, btc.FundingRate);
        Assert.Equal(8, btc.FundingIntervalHours);
        Assert.Equal(0.0000921774511212 / 8, btc.FundingPerHour);
        // fundingTime is the coming settlement the rate applies to.
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 16, 0, 0, TimeSpan.Zero), btc.NextFunding);
        Assert.Equal(134229.8137, btc.Volume24h);
        Assert.Equal(134229.8137 * 92320.1, btc.QuoteVolume24h);
        Assert.True(double.IsNaN(btc.OpenInterest));

        // Numbers sent as numbers; a 4 h interval.
        var sol = tickers[1];
        Assert.Equal(142.352, sol.Mark);
        Assert.Equal(142.331, sol.Index);
        Assert.Equal(0.00021, sol.FundingRate);
        Assert.Equal(4, sol.FundingIntervalHours);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), sol.NextFunding);

        // Inverse: the USD index, coins from volCcy24h, exact USD volume from contracts × 100 USD.
        var inverse = tickers[2];
        Assert.Equal(92301.7, inverse.Mark);
        Assert.Equal(92296.8, inverse.Index);
        Assert.Equal(-0.0000154, inverse.FundingRate);
        Assert.Equal(5431.6582, inverse.Volume24h);
        Assert.Equal(5013220 * 100.0, inverse.QuoteVolume24h);

        Assert.Single(server.Server.To(Instruments));
        Assert.Equal("SWAP", server.Server.To(Instruments)[0].Param("instType"));
        Assert.Equal("SWAP", Assert.Single(server.Server.To(MarkPrice)).Param("instType"));
        Assert.Equal("SWAP", Assert.Single(server.Server.To(Tickers)).Param("instType"));
        Assert.Equal(["USD", "USDT"], server.Server.To(IndexTickers).Select(r => r.Param("quoteCcy")).Order(StringComparer.Ordinal));
        Assert.Equal(["BTC-USD-SWAP", "BTC-USDT-SWAP", "SOL-USDT-SWAP"],
            server.Server.To(FundingRate).Select(r => r.Param("instId")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Empty_volume_fields_read_as_unknown_and_the_instrument_list_is_cached()
    {
        await using var server = await StartAsync();
        var client = server.Client();
        var eth = Assert.Single(await client.GetTickersAsync(["ETH-USDT-SWAP"], CancellationToken.None));
        Assert.True(double.IsNaN(eth.Volume24h));
        Assert.True(double.IsNaN(eth.QuoteVolume24h));
        Assert.Equal(3219.2, eth.Last);
        Assert.Single(await client.GetTickersAsync(["ETH-USDT-SWAP"], CancellationToken.None));
        Assert.Single(server.Server.To(Instruments));
        Assert.Equal(2, server.Server.To(MarkPrice).Count);
    }

    [Fact]
    public async Task Instrument_list_is_read_again_after_an_hour()
    {
        await using var server = await StartAsync();
        var client = server.Client();
        await client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None);
        server.Clock.Advance(TimeSpan.FromMinutes(59));
        await client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None);
        Assert.Single(server.Server.To(Instruments));
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        await client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None);
        Assert.Equal(2, server.Server.To(Instruments).Count);
    }

    [Fact]
    public async Task A_symbol_whose_funding_is_unknown_is_left_out_of_tickers()
    {
        await using var server = await StartAsync();
        server.Server.On("GET", FundingRate, r => r.Param("instId") == "SOL-USDT-SWAP" ? NotFound : FakeResponse.Json(Fixture.Read($"okx/funding-rate.{r.Param("instId")}.json")));
        var tickers = await server.Client().GetTickersAsync(["SOL-USDT-SWAP", "BTC-USDT-SWAP"], CancellationToken.None);
        Assert.Equal(["BTC-USDT-SWAP"], tickers.Select(t => t.Symbol));
    }

    [Fact]
    public async Task Open_interest_uses_oiCcy_and_oiUsd()
    {
        await using var server = await StartAsync();
        var oi = await server.Client().GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None);
        Assert.Equal(new OpenInterestPoint(Ms(1795252795000), 28715.5412, 2650978153.38), oi);
        var request = Assert.Single(server.Server.To(OpenInterest));
        Assert.Equal(("SWAP", "BTC-USDT-SWAP"), (request.Param("instType"), request.Param("instId")));
    }

    [Fact]
    public async Task Open_interest_falls_back_to_contracts_times_contract_value()
    {
        await using var server = await StartAsync();
        var client = server.Client();
        // Linear, oiCcy "": 4410023 contracts × 0.1 ETH.
        var eth = await client.GetOpenInterestAsync("ETH-USDT-SWAP", CancellationToken.None);
        Assert.Equal(4410023 * 0.1, eth.Coins);
        Assert.Equal(1419648421.2, eth.Usd);
        // Inverse, no oiUsd: 6120440 contracts × 100 USD.
        var inverse = await client.GetOpenInterestAsync("BTC-USD-SWAP", CancellationToken.None);
        Assert.Equal(663.1012, inverse.Coins);
        Assert.Equal(612044000, inverse.Usd);
    }

    [Fact]
    public async Task Unknown_swap_is_an_unknown_symbol_without_asking_for_it()
    {
        await using var server = await StartAsync();
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("XRP-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.Equal(Venue.Okx, ex.Venue);
        Assert.Contains("'XRP-USDT-SWAP'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Server.To(OpenInterest));
    }

    [Fact]
    public async Task Open_interest_history_comes_back_oldest_first()
    {
        await using var server = await StartAsync();
        var points = await server.Client().GetOpenInterestHistoryAsync("BTC-USDT-SWAP", TimeSpan.FromMinutes(5), 3, CancellationToken.None);
        Assert.Equal(
            [new(Ms(1795251900000), 28660.22, 2644210876.42), new(Ms(1795252200000), 28690.105, 2647611204.1), new(Ms(1795252500000), 28715.5412, 2650978153.38)],
            points);
        var request = Assert.Single(server.Server.To(OpenInterestHistory));
        Assert.Equal(("BTC-USDT-SWAP", "5m", "3"), (request.Param("instId"), request.Param("period"), request.Param("limit")));
    }

    [Theory]
    [InlineData(60, "1H")]
    [InlineData(24 * 60, "1Dutc")]
    public async Task Open_interest_history_periods_use_okx_names(int minutes, string period)
    {
        await using var server = await StartAsync();
        await server.Client().GetOpenInterestHistoryAsync("BTC-USDT-SWAP", TimeSpan.FromMinutes(minutes), 500, CancellationToken.None);
        var request = Assert.Single(server.Server.To(OpenInterestHistory));
        Assert.Equal((period, "100"), (request.Param("period"), request.Param("limit")));
    }

    [Fact]
    public async Task Linear_book_sizes_are_contracts_times_contract_value()
    {
        await using var server = await StartAsync();
        var book = await server.Client().GetOrderBookAsync("BTC-USDT-SWAP", 1000, CancellationToken.None);
        Assert.Equal(Ms(1795252799101), book.Time);
        Assert.Equal([new(92320.1, 1960 * 0.01), new(92319.8, 12 * 0.01), new(92319, 650 * 0.01)], book.Bids);
        Assert.Equal([new(92320.2, 418 * 0.01), new(92320.5, 37 * 0.01), new(92321, 1205 * 0.01)], book.Asks);
        var request = Assert.Single(server.Server.To(Books));
        Assert.Equal(("BTC-USDT-SWAP", "400"), (request.Param("instId"), request.Param("sz")));
    }

    [Fact]
    public async Task Inverse_book_sizes_are_contract_usd_divided_by_the_level_price()
    {
        await using var server = await StartAsync();
        var book = await server.Client().GetOrderBookAsync("BTC-USD-SWAP", 2, CancellationToken.None);
        Assert.Equal([new(92299.9, 50000 * 100.0 / 92299.9), new(92250, 1845 * 100.0 / 92250)], book.Bids);
        Assert.Equal([new(92300, 9230 * 100.0 / 92300), new(92310.5, 200 * 100.0 / 92310.5)], book.Asks);
        Assert.Equal(10.0, book.Asks[0].Size, 12);
        Assert.Equal("2", Assert.Single(server.Server.To(Books)).Param("sz"));
    }

    [Theory]
    [InlineData("""{"code":"0","msg":"","data":[{"asks":[["92320.2","418","0","12"]],"bids":[],"ts":"1795252799101"}]}""", "empty side")]
    [InlineData("""{"code":"0","msg":"","data":[{"asks":[["92320.2","418","0","12"]],"bids":[["92321","5","0","1"]],"ts":"1795252799101"}]}""", "crossed")]
    [InlineData("""{"code":"0","msg":"","data":[{"asks":[["92320.2","418","0","12"]],"bids":[["-92319","5","0","1"]],"ts":"1795252799101"}]}""", "crossed")]
    public async Task Empty_crossed_or_negative_book_is_absurd(string body, string why)
    {
        await using var server = await StartAsync();
        server.Server.Get(Books, FakeResponse.Json(body));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("BTC-USDT-SWAP", 5, CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.StartsWith("okx BTC-USDT-SWAP order book: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zero_contract_value_is_absurd_rather_than_a_book_of_zeros()
    {
        await using var server = await StartAsync();
        server.Server.Get(Instruments, FakeResponse.Json(Fixture.Read("okx/instruments.swap.json").Replace("\"ctVal\":\"0.01\"", "\"ctVal\":\"0\"", StringComparison.Ordinal)));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("BTC-USDT-SWAP", 5, CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("contract value 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Perp_bars_are_reversed_to_oldest_first_with_coin_volume_and_the_confirm_flag()
    {
        await using var server = await StartAsync();
        var bars = await server.Client().GetBarsAsync("BTC-USDT-SWAP", MarketKind.Perp, TimeSpan.FromHours(1), 3, CancellationToken.None);
        Assert.Equal([Ms(1795244400000), Ms(1795248000000), Ms(1795251600000)], bars.Select(b => b.OpenTime));
        var middle = bars[1];
        Assert.Equal((91870.0, 92150.6, 91802.2, 92105.3), (middle.Open, middle.High, middle.Low, middle.Close));
        Assert.Equal(3011.25, middle.Volume);
        Assert.Equal(277018336.7, middle.QuoteVolume);
        Assert.True(double.IsNaN(middle.TakerBuyVolume));
        Assert.Equal(TimeSpan.FromHours(1), middle.Interval);
        Assert.Equal([true, true, false], bars.Select(b => b.Closed));
        var request = Assert.Single(server.Server.To(Candles));
        Assert.Equal(("BTC-USDT-SWAP", "1H", "3"), (request.Param("instId"), request.Param("bar"), request.Param("limit")));
    }

    [Fact]
    public async Task Spot_bars_are_of_the_usdt_pair_with_base_volume_from_vol()
    {
        await using var server = await StartAsync();
        var bars = await server.Client().GetBarsAsync("BTC-USD-SWAP", MarketKind.Spot, TimeSpan.FromHours(1), 2, CancellationToken.None);
        Assert.Equal(2, bars.Count);
        Assert.Equal((1034.5521, 95216810.04, true), (bars[0].Volume, bars[0].QuoteVolume, bars[0].Closed));
        Assert.Equal((92101.2, 92311.8, false), (bars[1].Open, bars[1].Close, bars[1].Closed));
        Assert.Equal("BTC-USDT", Assert.Single(server.Server.To(Candles)).Param("instId"));
    }

    [Fact]
    public async Task Spot_bars_and_ticker_of_a_pair_okx_does_not_list_are_empty_and_null()
    {
        await using var server = await StartAsync();
        var client = server.Client();
        Assert.Empty(await client.GetBarsAsync("SOL-USDT-SWAP", MarketKind.Spot, TimeSpan.FromHours(1), 10, CancellationToken.None));
        Assert.Null(await client.GetSpotTickerAsync("SOL-USDT-SWAP", CancellationToken.None));
        Assert.Equal("SOL-USDT", Assert.Single(server.Server.To(SpotTickerPath)).Param("instId"));
    }

    [Fact]
    public async Task Perp_bars_of_an_instrument_okx_rejects_are_an_unknown_symbol()
    {
        await using var server = await StartAsync();
        var ex = await Assert.ThrowsAsync<MarketDataException>(() =>
            server.Client().GetBarsAsync("SOL-USDT-SWAP", MarketKind.Perp, TimeSpan.FromHours(1), 10, CancellationToken.None));
        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.Contains("error 51001 Instrument ID does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spot_ticker_is_last_and_quote_volume_of_the_usdt_pair()
    {
        await using var server = await StartAsync();
        var spot = await server.Client().GetSpotTickerAsync("BTC-USDT-SWAP", CancellationToken.None);
        Assert.NotNull(spot);
        Assert.Equal(("BTC-USDT", Ms(1795252799333), 92311.8, 1204455321.87), (spot.Symbol, spot.Time, spot.Price, spot.QuoteVolume24h));
    }

    [Fact]
    public async Task Linear_tiers_keep_the_contract_basis_and_chain_floors_to_the_previous_cap()
    {
        await using var server = await StartAsync();
        var table = await server.Client().GetTiersAsync("BTC-USDT-SWAP", CancellationToken.None);
        Assert.NotNull(table);
        Assert.Equal((Venue.Okx, ContractType.Linear, "BTC-USDT-SWAP", "BTC", "USDT", TierBasis.Contracts, (double?)0.01, 0.1),
            (table.Venue, table.Contract, table.Symbol, table.BaseAsset, table.Settle, table.Basis, table.ContractSize, table.TickSize));
        Assert.Equal(
            [new(0, 20000, 0.004, 0, 100), new(20000, 50000, 0.006, 0, 75), new(50000, 100000, 0.01, 0, 50), new(100000, 200000, 0.025, 0, 20)],
            table.Tiers.ToArray());
        var request = Assert.Single(server.Server.To(PositionTiers));
        Assert.Equal(("SWAP", "cross", "BTC-USDT"), (request.Param("instType"), request.Param("tdMode"), request.Param("instFamily")));
    }

    [Fact]
    public async Task Inverse_tiers_settle_in_the_coin_with_usd_contracts()
    {
        await using var server = await StartAsync();
        var table = await server.Client().GetTiersAsync("BTC-USD-SWAP", CancellationToken.None);
        Assert.NotNull(table);
        Assert.Equal((ContractType.Inverse, "BTC", (double?)100), (table.Contract, table.Settle, table.ContractSize));
        Assert.Equal([new(0, 5000, 0.005, 0, 100), new(5000, 25000, 0.01, 0, 50)], table.Tiers.ToArray());
    }

    [Fact]
    public async Task Each_request_counts_one_against_the_shared_budget()
    {
        await using var server = await StartAsync();
        var http = VenueClients.Http(server.Server, time: server.Clock);
        var client = new PerpGuard.Bot.Market.Venues.Okx.OkxClient(http, server.Clock);
        await client.GetTickersAsync(["BTC-USDT-SWAP", "BTC-USD-SWAP"], CancellationToken.None);
        // instruments, mark-price, tickers, index-tickers USDT and USD, two funding rates.
        Assert.Equal(7, http.Limiter(Venue.Okx).Used);
        Assert.Equal(7, server.Server.Requests.Count);
    }

    [Fact]
    public async Task Code_51001_inside_http_200_is_an_unknown_symbol_quoting_okx()
    {
        await using var server = await StartAsync();
        server.Server.Get(OpenInterest, NotFound);
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.Equal("okx BTC-USDT-SWAP open interest: error 51001 Instrument ID does not exist", ex.Message);
    }

    [Fact]
    public async Task Any_other_nonzero_code_is_a_venue_error()
    {
        await using var server = await StartAsync();
        server.Server.Get(OpenInterest, FakeResponse.Json("""{"code":"50026","msg":"System error, please try again later.","data":[]}"""));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.VenueError, ex.Fault);
        Assert.Contains("error 50026 System error", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_429_with_50011_blocks_the_venue_and_the_next_call_fails_without_a_request()
    {
        await using var server = await StartAsync();
        server.Server.Get(OpenInterest, FakeResponse.Error(429, Fixture.Read("okx/error.50011.json")).WithHeader("Retry-After", "30"));
        var client = server.Client();
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.RateLimited, ex.Fault);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Contains("50011", ex.Message, StringComparison.Ordinal);
        var seen = server.Server.Requests.Count;

        var again = await Assert.ThrowsAsync<MarketDataException>(() => client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.RateLimited, again.Fault);
        Assert.Contains("back off", again.Message, StringComparison.Ordinal);
        Assert.Equal(seen, server.Server.Requests.Count);
    }

    [Fact]
    public async Task Code_50011_inside_http_200_also_blocks_the_venue()
    {
        await using var server = await StartAsync();
        server.Server.Get(OpenInterest, FakeResponse.Json(Fixture.Read("okx/error.50011.json")));
        var client = server.Client();
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.RateLimited, ex.Fault);
        Assert.Contains("error 50011 Too Many Requests", ex.Message, StringComparison.Ordinal);
        var seen = server.Server.Requests.Count;
        await Assert.ThrowsAsync<MarketDataException>(() => client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(seen, server.Server.Requests.Count);
    }

    [Fact]
    public async Task A_stalled_answer_is_a_timeout()
    {
        await using var server = await StartAsync();
        server.Server.Get(OpenInterest, FakeResponse.Json(Fixture.Read("okx/open-interest.BTC-USDT-SWAP.json")) with { Delay = TimeSpan.FromSeconds(10) });
        var ex = await Assert.ThrowsAsync<MarketDataException>(() =>
            server.Client(TimeSpan.FromMilliseconds(300)).GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.Timeout, ex.Fault);
        Assert.Contains("no answer within 0.3 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_json_is_malformed()
    {
        await using var server = await StartAsync();
        var text = Fixture.Read("okx/tickers.swap.json");
        server.Server.Get(Tickers, FakeResponse.Json(text[..(text.Length / 2)]));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTickersAsync(["BTC-USDT-SWAP"], CancellationToken.None));
        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.Contains("okx tickers: unreadable JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_book_is_malformed()
    {
        await using var server = await StartAsync();
        server.Server.Get(Books, FakeResponse.Json(Fixture.Read("okx/books.BTC-USDT-SWAP.json")[..60]));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("BTC-USDT-SWAP", 5, CancellationToken.None));
        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.Contains("BTC-USDT-SWAP order book: unreadable JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_502_page_is_an_http_error_that_says_html_and_is_not_cached()
    {
        await using var server = await StartAsync();
        server.Server.Sequence("GET", Instruments, FakeResponse.Html(502), FakeResponse.Json(Fixture.Read("okx/instruments.swap.json")));
        var client = server.Client();
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.Http, ex.Fault);
        Assert.Contains("HTTP 502 (an HTML page, not the API)", ex.Message, StringComparison.Ordinal);
        // The failed instrument list is not kept: the next call reads it again and succeeds.
        Assert.Equal(28715.5412, (await client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None)).Coins);
    }

    [Theory]
    [InlineData("\"markPx\":\"92318.4\"", "\"markPx\":\"-92318.4\"", "mark price -92318.4 is not a positive number")]
    [InlineData("\"markPx\":\"92318.4\"", "\"markPx\":\"NaN\"", "mark price NaN is not a positive number")]
    [InlineData("\"markPx\":\"92318.4\"", "\"markPx\":\"\"", "mark price NaN is not a positive number")]
    public async Task Absurd_mark_fails_the_tickers_naming_the_symbol(string from, string to, string why)
    {
        await using var server = await StartAsync();
        var text = Fixture.Read("okx/mark-price.swap.json");
        Assert.Contains(from, text, StringComparison.Ordinal);
        server.Server.Get(MarkPrice, FakeResponse.Json(text.Replace(from, to, StringComparison.Ordinal)));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTickersAsync(["BTC-USDT-SWAP"], CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Equal($"okx BTC-USDT-SWAP ticker: {why}", ex.Message);
    }

    [Fact]
    public async Task Negative_open_interest_is_absurd()
    {
        await using var server = await StartAsync();
        server.Server.Get(OpenInterest, FakeResponse.Json("""{"code":"0","msg":"","data":[{"instId":"BTC-USDT-SWAP","oi":"1","oiCcy":"-0.01","oiUsd":"923","ts":"1795252795000"}]}"""));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("okx BTC-USDT-SWAP open interest: open interest -0.01 coins", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bar_with_a_nan_price_is_absurd()
    {
        await using var server = await StartAsync();
        server.Server.Get(Candles, FakeResponse.Json("""{"code":"0","msg":"","data":[["1795251600000","NaN","92388","92010.7","92320.1","1","0.01","923","0"]]}"""));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() =>
            server.Client().GetBarsAsync("BTC-USDT-SWAP", MarketKind.Perp, TimeSpan.FromHours(1), 1, CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Equal("okx BTC-USDT-SWAP bar: a bar price is not a positive number", ex.Message);
    }
}
