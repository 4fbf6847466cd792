using System.Text;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market.Hyperliquid;

/// <summary>The Hyperliquid client against this repository's own fixtures, served over loopback.</summary>
public sealed class HyperliquidClientTests
{
    private static readonly string Meta = Fixture.Read("hyperliquid/metaAndAssetCtxs.json");
    private static readonly string Book = Fixture.Read("hyperliquid/l2Book.ETH.json");
    private static readonly string Candles = Fixture.Read("hyperliquid/candleSnapshot.ETH.1h.json");

    private static async Task<HyperliquidTestServer> ServerAsync(string? meta = null)
    {
        var server = await HyperliquidTestServer.StartAsync();
        server.On("metaAndAssetCtxs", meta ?? Meta).On("l2Book", Book).On("candleSnapshot", Candles);
        return server;
    }

    [Fact]
    public async Task Tickers_come_from_one_bulk_call_indexed_by_universe_position_with_delisted_entries_counted()
    {
        await using var server = await ServerAsync();
        var tickers = await server.Client().GetTickersAsync(["SOL", "BTC", "kPEPE", "FTM", "DOGE", "btc"], CancellationToken.None);

        Assert.Equal(["metaAndAssetCtxs"], server.Types);
        Assert.Equal(["BTC", "SOL", "kPEPE"], tickers.Select(t => t.Symbol));
        var btc = tickers[0];
        Assert.Equal(HyperliquidTestServer.Now, btc.Time);
        Assert.Equal(92318.0, btc.Mark);
        Assert.Equal(92310.0, btc.Index);
        Assert.Equal(92317.5, btc.Last);
        Assert.Equal(0.0000102, btc.FundingRate);
        Assert.Equal(1, btc.FundingIntervalHours);
        Assert.Equal(0.0000102, btc.FundingPerHour);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), btc.NextFunding);
        Assert.Equal(30807.91244, btc.Volume24h);
        Assert.Equal(2841765093.12, btc.QuoteVolume24h);
        Assert.Equal(31250.48721, btc.OpenInterest);
        // SOL is universe[3], after the delisted FTM at [2]: its ctx is the fourth, not FTM's 0.7123.
        var sol = tickers[1];
        Assert.Equal(142.35, sol.Mark);
        Assert.Equal(142.331, sol.Index);
        Assert.Equal(-0.0000031, sol.FundingRate);
        Assert.Equal(2814077.33, sol.OpenInterest);
        Assert.Equal(0.011843, tickers[2].Mark);
    }

    [Fact]
    public async Task Ticker_reads_numbers_sent_as_numbers_and_a_null_mid_as_no_last_price()
    {
        await using var server = await ServerAsync();
        var eth = Assert.Single(await server.Client().GetTickersAsync(["ETH"], CancellationToken.None));
        Assert.Equal(3219.1, eth.Mark);
        Assert.Equal(3218.4, eth.Index);
        Assert.True(double.IsNaN(eth.Last));
        Assert.Equal(0.0000125, eth.FundingRate);
        Assert.Equal(512873.3, eth.Volume24h);
        Assert.Equal(1650043221.5, eth.QuoteVolume24h);
    }

    [Fact]
    public async Task Ticker_reads_a_missing_field_as_not_given_rather_than_zero()
    {
        const string Mid = "\"midPx\": \"142.345\", ";
        Assert.Contains(Mid, Meta, StringComparison.Ordinal);
        await using var server = await ServerAsync(Meta.Replace(Mid, "", StringComparison.Ordinal));
        var sol = Assert.Single(await server.Client().GetTickersAsync(["SOL"], CancellationToken.None));
        Assert.True(double.IsNaN(sol.Last));
        Assert.Equal(142.35, sol.Mark);
    }

    [Fact]
    public async Task Tickers_for_no_listed_symbol_are_empty_and_for_no_symbol_send_nothing()
    {
        await using var server = await ServerAsync();
        var client = server.Client();
        Assert.Empty(await client.GetTickersAsync(["DOGE", "FTM"], CancellationToken.None));
        Assert.Empty(await client.GetTickersAsync([], CancellationToken.None));
        Assert.Single(server.Types);
    }

    [Fact]
    public async Task Open_interest_is_coins_and_coins_times_mark()
    {
        await using var server = await ServerAsync();
        var oi = await server.Client().GetOpenInterestAsync("BTC", CancellationToken.None);
        Assert.Equal(31250.48721, oi.Coins);
        Assert.Equal(31250.48721 * 92318.0, oi.Usd);
        Assert.Equal(HyperliquidTestServer.Now, oi.Time);
    }

    [Theory]
    [InlineData("DOGE", "no perpetual named 'DOGE'")]
    [InlineData("btc", "no perpetual named 'btc'")]
    [InlineData("FTM", "FTM is delisted")]
    public async Task Unknown_lowercase_or_delisted_coin_is_an_unknown_symbol(string coin, string message)
    {
        await using var server = await ServerAsync();
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync(coin, CancellationToken.None));
        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.Equal(Venue.Hyperliquid, ex.Venue);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_interest_history_is_empty_without_a_request()
    {
        await using var server = await ServerAsync();
        Assert.Empty(await server.Client().GetOpenInterestHistoryAsync("BTC", TimeSpan.FromMinutes(5), 50, CancellationToken.None));
        Assert.Empty(server.Types);
    }

    [Fact]
    public async Task Book_levels_are_objects_read_in_coins_with_the_venue_time()
    {
        await using var server = await ServerAsync();
        var client = server.Client();
        var book = await client.GetOrderBookAsync("ETH", 50, CancellationToken.None);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795252799512), book.Time);
        Assert.Equal([new(3219.0, 41.2873), new(3218.9, 3.0145), new(3218.7, 12.5)], book.Bids);
        Assert.Equal([new(3219.1, 0.5), new(3219.2, 22.0031), new(3219.5, 7.75)], book.Asks);
        // The coin is checked against the universe once, then the universe is reused.
        await client.GetOrderBookAsync("ETH", 2, CancellationToken.None);
        Assert.Equal(["metaAndAssetCtxs", "l2Book", "l2Book"], server.Types);
        var body = server.Bodies("l2Book")[0];
        Assert.Equal("ETH", body.GetProperty("coin").GetString());
    }

    [Fact]
    public async Task Book_without_a_time_is_stamped_on_receipt()
    {
        await using var server = await ServerAsync();
        server.On("l2Book", """{"coin":"ETH","levels":[[{"px":"3219.0","sz":"1","n":1}],[{"px":"3219.1","sz":"2","n":1}]]}""");
        var book = await server.Client().GetOrderBookAsync("ETH", 20, CancellationToken.None);
        Assert.Equal(HyperliquidTestServer.Now, book.Time);
        Assert.Equal([new BookLevel(3219.1, 2)], book.Asks);
    }

    [Fact]
    public async Task Book_depth_is_clamped_to_what_was_asked_and_to_twenty()
    {
        await using var server = await ServerAsync();
        server.On("l2Book", BookJson(25, 25));
        var client = server.Client();
        var deep = await client.GetOrderBookAsync("ETH", 100, CancellationToken.None);
        Assert.Equal(20, deep.Bids.Length);
        Assert.Equal(20, deep.Asks.Length);
        var shallow = await client.GetOrderBookAsync("ETH", 2, CancellationToken.None);
        Assert.Equal([new(2999, 1), new(2998, 2)], shallow.Bids);
        Assert.Equal([new(3001, 1), new(3002, 2)], shallow.Asks);
    }

    [Fact]
    public async Task Book_of_an_unknown_coin_is_an_unknown_symbol_without_asking_for_the_book()
    {
        await using var server = await ServerAsync();
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("PURR/USDC", 20, CancellationToken.None));
        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.DoesNotContain("l2Book", server.Types);
    }

    [Theory]
    [InlineData(0, 3, "empty side")]
    [InlineData(3, 0, "empty side")]
    public async Task Book_with_an_empty_side_is_absurd(int bids, int asks, string why)
    {
        await using var server = await ServerAsync();
        server.On("l2Book", BookJson(bids, asks));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("ETH", 20, CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("ETH order book", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crossed_book_is_absurd()
    {
        await using var server = await ServerAsync();
        server.On("l2Book", """{"coin":"ETH","time":1795252799512,"levels":[[{"px":"3220.0","sz":"1","n":1}],[{"px":"3219.0","sz":"1","n":1}]]}""");
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("ETH", 20, CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("crossed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_level_without_a_size_is_malformed()
    {
        await using var server = await ServerAsync();
        server.On("l2Book", """{"coin":"ETH","levels":[[{"px":"3219.0","n":1}],[{"px":"3219.1","sz":"1","n":1}]]}""");
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("ETH", 20, CancellationToken.None));
        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.Contains("no px or sz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bars_ascend_with_the_forming_bar_last_and_no_quote_or_taker_volume()
    {
        await using var server = await ServerAsync();
        var bars = await server.Client().GetBarsAsync("ETH", MarketKind.Perp, TimeSpan.FromHours(1), 3, CancellationToken.None);

        Assert.Equal([7, 8, 9], bars.Select(b => b.OpenTime.Hour));
        var first = bars[0];
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero), first.OpenTime);
        Assert.Equal(TimeSpan.FromHours(1), first.Interval);
        Assert.Equal((3210.9, 3231.7, 3207.3, 3224.6, 21004.55), (first.Open, first.High, first.Low, first.Close, first.Volume));
        Assert.True(double.IsNaN(first.QuoteVolume));
        Assert.True(double.IsNaN(first.TakerBuyVolume));
        Assert.Equal((3224.6, 3226.1, 3212.0, 3217.8, 9876.5432), (bars[1].Open, bars[1].High, bars[1].Low, bars[1].Close, bars[1].Volume));
        Assert.Equal([true, true, false], bars.Select(b => b.Closed));

        var req = server.Bodies("candleSnapshot")[0].GetProperty("req");
        Assert.Equal("ETH", req.GetProperty("coin").GetString());
        Assert.Equal("1h", req.GetProperty("interval").GetString());
        Assert.Equal(HyperliquidTestServer.Now.ToUnixTimeMilliseconds(), req.GetProperty("endTime").GetInt64());
        Assert.Equal((HyperliquidTestServer.Now - TimeSpan.FromHours(4)).ToUnixTimeMilliseconds(), req.GetProperty("startTime").GetInt64());
    }

    [Fact]
    public async Task Spot_ticker_is_null_and_spot_bars_are_empty_without_a_request()
    {
        await using var server = await ServerAsync();
        var client = server.Client();
        Assert.Null(await client.GetSpotTickerAsync("BTC", CancellationToken.None));
        Assert.Empty(await client.GetBarsAsync("BTC", MarketKind.Spot, TimeSpan.FromHours(1), 10, CancellationToken.None));
        Assert.Empty(server.Types);
    }

    [Fact]
    public async Task Bars_at_an_interval_hyperliquid_does_not_serve_are_an_argument_error()
    {
        await using var server = await ServerAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            server.Client().GetBarsAsync("ETH", MarketKind.Perp, TimeSpan.FromMinutes(7), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Bar_whose_high_is_below_its_close_is_absurd()
    {
        await using var server = await ServerAsync();
        server.On("candleSnapshot", """[{"t":1795251600000,"T":1795255199999,"s":"ETH","i":"1h","o":"3217.8","c":"3230.0","h":"3221.4","l":"3216.0","v":"2211.8","n":5120}]""");
        var ex = await Assert.ThrowsAsync<MarketDataException>(() =>
            server.Client().GetBarsAsync("ETH", MarketKind.Perp, TimeSpan.FromHours(1), 10, CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("hyperliquid ETH bar: bar high 3221.4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tiers_take_half_the_initial_margin_with_a_continuous_deduction()
    {
        await using var server = await ServerAsync();
        var table = await server.Client().GetTiersAsync("BTC", CancellationToken.None);

        Assert.NotNull(table);
        Assert.Equal((Venue.Hyperliquid, ContractType.Linear, "BTC", "BTC", "USDC", TierBasis.Notional),
            (table.Venue, table.Contract, table.Symbol, table.BaseAsset, table.Settle, table.Basis));
        Assert.Null(table.ContractSize);
        Assert.Equal(1, table.TickSize);
        Assert.Equal(new DateOnly(2026, 11, 21), table.Taken);
        Assert.Equal(
            [new(0, 150_000_000, 0.0125, 0, 40), new(150_000_000, 400_000_000, 0.025, 1_875_000, 20), new(400_000_000, 1e15, 0.05, 11_875_000, 10)],
            table.Tiers.ToArray());
        // Continuous at each edge: MM just below equals MM just above.
        foreach (var edge in new[] { 150_000_000.0, 400_000_000.0 })
        {
            var below = table.Find(edge - 1);
            var above = table.Find(edge);
            Assert.Equal(edge * below.MaintenanceRate - below.MaintenanceAmount, edge * above.MaintenanceRate - above.MaintenanceAmount, 6);
        }
    }

    [Fact]
    public async Task Tiers_of_a_table_id_not_in_margin_tables_are_one_tier_at_the_asset_leverage()
    {
        await using var server = await ServerAsync();
        var table = await server.Client().GetTiersAsync("kPEPE", CancellationToken.None);
        Assert.NotNull(table);
        Assert.Equal([new MarginTier(0, 1e15, 0.05, 0, 10)], table.Tiers.ToArray());
        Assert.Equal("KPEPE", table.BaseAsset);
        Assert.Equal(1e-6, table.TickSize, 12);
    }

    [Fact]
    public async Task Requests_carry_the_documented_weights()
    {
        await using var server = await ServerAsync();
        var http = VenueClients.Http(server.Server, time: server.Clock);
        var client = new PerpGuard.Bot.Market.Venues.Hyperliquid.HyperliquidClient(http, server.Clock);
        await client.GetTickersAsync(["BTC"], CancellationToken.None);
        Assert.Equal(20, http.Limiter(Venue.Hyperliquid).Used);
        await client.GetOrderBookAsync("ETH", 20, CancellationToken.None);
        Assert.Equal(22, http.Limiter(Venue.Hyperliquid).Used);
        // candleSnapshot: 20, plus 1 per 60 rows asked for.
        await client.GetBarsAsync("ETH", MarketKind.Perp, TimeSpan.FromHours(1), 120, CancellationToken.None);
        Assert.Equal(44, http.Limiter(Venue.Hyperliquid).Used);
    }

    [Fact]
    public async Task Http_422_plain_text_is_a_venue_error_quoting_the_text()
    {
        await using var server = await ServerAsync();
        server.On("metaAndAssetCtxs", FakeResponse.Error(422, "Failed to deserialize the JSON body into the target type", "text/plain"));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTickersAsync(["BTC"], CancellationToken.None));
        Assert.Equal(MarketFault.VenueError, ex.Fault);
        Assert.Contains("HTTP 422", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Failed to deserialize the JSON body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_json_is_malformed()
    {
        await using var server = await ServerAsync(Meta[..(Meta.Length / 2)]);
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTickersAsync(["BTC"], CancellationToken.None));
        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.Contains("hyperliquid tickers: unreadable JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_book_is_malformed()
    {
        await using var server = await ServerAsync();
        server.On("l2Book", Book[..^20]);
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOrderBookAsync("ETH", 20, CancellationToken.None));
        Assert.Equal(MarketFault.Malformed, ex.Fault);
        Assert.Contains("ETH order book", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_502_page_is_an_http_error_that_says_html()
    {
        await using var server = await ServerAsync();
        server.On("metaAndAssetCtxs", FakeResponse.Html(502));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("BTC", CancellationToken.None));
        Assert.Equal(MarketFault.Http, ex.Fault);
        Assert.Contains("HTTP 502", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HTML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_answer_is_a_timeout()
    {
        await using var server = await ServerAsync();
        server.On("metaAndAssetCtxs", FakeResponse.Json(Meta) with { Delay = TimeSpan.FromSeconds(10) });
        var ex = await Assert.ThrowsAsync<MarketDataException>(() =>
            server.Client(TimeSpan.FromMilliseconds(300)).GetTickersAsync(["BTC"], CancellationToken.None));
        Assert.Equal(MarketFault.Timeout, ex.Fault);
        Assert.Contains("no answer within", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"markPx\": \"92318.0\"", "\"markPx\": \"-92318.0\"", "mark price -92318 is not a positive number")]
    [InlineData("\"markPx\": \"92318.0\"", "\"markPx\": \"NaN\"", "mark price NaN is not a positive number")]
    [InlineData("\"markPx\": \"92318.0\"", "\"markPx\": null", "mark price NaN is not a positive number")]
    [InlineData("\"oraclePx\": \"92310.0\"", "\"oraclePx\": \"9231.0\"", "from index 9231")]
    [InlineData("\"funding\": \"0.0000102\"", "\"funding\": \"0.5\"", "beyond any venue's cap")]
    public async Task Absurd_ticker_values_fail_the_call_naming_venue_symbol_and_why(string from, string to, string why)
    {
        Assert.Contains(from, Meta, StringComparison.Ordinal);
        await using var server = await ServerAsync(Meta.Replace(from, to, StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTickersAsync(["BTC", "ETH"], CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.StartsWith("hyperliquid BTC ticker: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_open_interest_is_absurd()
    {
        await using var server = await ServerAsync(Meta.Replace("\"openInterest\": \"31250.48721\"", "\"openInterest\": \"-1\"", StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("BTC", CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("hyperliquid BTC open interest", ex.Message, StringComparison.Ordinal);
    }

    private static string BookJson(int bids, int asks)
    {
        var sb = new StringBuilder("""{"coin":"ETH","time":1795252799512,"levels":[[""");
        for (var i = 1; i <= bids; i++) sb.Append(i > 1 ? "," : "").Append($$"""{"px":"{{3000 - i}}","sz":"{{i}}","n":1}""");
        sb.Append("],[");
        for (var i = 1; i <= asks; i++) sb.Append(i > 1 ? "," : "").Append($$"""{"px":"{{3000 + i}}","sz":"{{i}}","n":1}""");
        return sb.Append("]]}").ToString();
    }
}
