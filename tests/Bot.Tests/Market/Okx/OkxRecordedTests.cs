using PerpGuard.Bot.Market;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;
using static PerpGuard.Bot.Tests.Market.Okx.OkxTestServer;

namespace PerpGuard.Bot.Tests.Market.Okx;

/// <summary>
/// The OKX client over the recordings and docs examples in ../shared/fixtures/market/okx. The recorded instrument list
/// (BTC-USDT-SWAP ctVal 0.01 BTC, ETH-USDT-SWAP 0.1 ETH, BTC-USD-SWAP 100 USD) supplies every contract value.
/// </summary>
public sealed class OkxRecordedTests
{
    private static FakeResponse Shared(string file) => FakeResponse.Json(SharedFixtures.Read("okx/" + file));

    private static async Task<OkxTestServer> ServerAsync()
    {
        var server = await StartAsync(withFixtures: false);
        server.Server.Get(Instruments, Shared("instruments.SWAP.recorded_trimmed.json"));
        return server;
    }

    [SharedFixtureFact]
    public async Task Recorded_tier_one_of_each_family_matches_the_shipped_tables()
    {
        await using var server = await ServerAsync();
        // One recorded body holds both families; each table keeps its own.
        server.Server.Get(PositionTiers, Shared("position_tiers.SWAP.tier1.recorded_edited.json"));
        var client = server.Client();
        var btc = await client.GetTiersAsync("BTC-USDT-SWAP", CancellationToken.None);
        var eth = await client.GetTiersAsync("ETH-USDT-SWAP", CancellationToken.None);
        Assert.Equal([new MarginTier(0, 1000, 0.004, 0, 100)], btc!.Tiers.ToArray());
        Assert.Equal([new MarginTier(0, 5000, 0.004, 0, 100)], eth!.Tiers.ToArray());
        Assert.Equal(((double?)0.01, 0.1, "USDT"), (btc.ContractSize, btc.TickSize, btc.Settle));
        Assert.Equal(((double?)0.1, 0.01), (eth.ContractSize, eth.TickSize));
        foreach (var live in new[] { btc, eth })
        {
            Assert.True(TierCatalog.BuiltIn.TryFind(Venue.Okx, ContractType.Linear, live.Symbol, out var shipped));
            Assert.Equal(shipped.Tiers.ToArray(), live.Tiers.ToArray());
            Assert.Equal((shipped.Basis, shipped.ContractSize, shipped.TickSize), (live.Basis, live.ContractSize, live.TickSize));
        }
    }

    [SharedFixtureFact]
    public async Task Recorded_51001_is_an_unknown_symbol()
    {
        await using var server = await ServerAsync();
        server.Server.Get(OpenInterest, Shared("error.51001_no_such_instrument.json"));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("ETH-USDT-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
        Assert.Equal("okx ETH-USDT-SWAP open interest: error 51001 Instrument ID, Instrument ID code, or Spread ID doesn't exist.", ex.Message);
    }

    [SharedFixtureFact]
    public async Task Recorded_51000_bad_family_is_a_venue_error()
    {
        await using var server = await ServerAsync();
        server.Server.Get(PositionTiers, Shared("error.51000_bad_instFamily.json"));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTiersAsync("BTC-USD-SWAP", CancellationToken.None));
        Assert.Equal(MarketFault.VenueError, ex.Fault);
        Assert.Equal("okx BTC-USD tiers: error 51000 Parameter instFamily error", ex.Message);
    }

    [SharedFixtureFact]
    public async Task Docs_book_example_in_coins_of_the_recorded_contract_value()
    {
        await using var server = await ServerAsync();
        server.Server.Get(Books, Shared("doc_examples/books.doc.json"));
        var book = await server.Client().GetOrderBookAsync("BTC-USDT-SWAP", 1, CancellationToken.None);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1629966436396), book.Time);
        Assert.Equal([new BookLevel(41006.3, 0.30178218 * 0.01)], book.Bids);
        Assert.Equal([new BookLevel(41006.8, 0.60038921 * 0.01)], book.Asks);
    }

    [SharedFixtureFact]
    public async Task Docs_candles_example_reversed_with_confirm()
    {
        await using var server = await ServerAsync();
        server.Server.Get(Candles, Shared("doc_examples/candles.doc.json"));
        var bars = await server.Client().GetBarsAsync("BTC-USDT-SWAP", MarketKind.Perp, TimeSpan.FromMinutes(1), 2, CancellationToken.None);
        // Both rows carry the same ts in the docs; the order on the wire (newest first) is reversed.
        Assert.Equal([true, false], bars.Select(b => b.Closed));
        Assert.Equal((3.731, 3.799, 3.494, 3.72, 67632347.24399722, 37632347.24399722),
            (bars[0].Open, bars[0].High, bars[0].Low, bars[0].Close, bars[0].Volume, bars[0].QuoteVolume));
        Assert.Equal((3.721, 22698348.04828491), (bars[1].Open, bars[1].Volume));
    }

    [SharedFixtureFact]
    public async Task Docs_open_interest_and_history_examples()
    {
        await using var server = await ServerAsync();
        server.Server.Get(OpenInterest, Shared("doc_examples/open-interest.doc.json"));
        server.Server.Get(OpenInterestHistory, Shared("doc_examples/rubik-open-interest-history.doc.json"));
        var client = server.Client();
        Assert.Equal(new OpenInterestPoint(DateTimeOffset.FromUnixTimeMilliseconds(1597026383085), 555.55, 50000),
            await client.GetOpenInterestAsync("BTC-USDT-SWAP", CancellationToken.None));
        var history = await client.GetOpenInterestHistoryAsync("BTC-USDT-SWAP", TimeSpan.FromMinutes(5), 2, CancellationToken.None);
        Assert.Equal([1701417500000, 1701417600000], history.Select(p => p.Time.ToUnixTimeMilliseconds()));
        Assert.All(history, p => Assert.Equal((111.0, 8888888.0), (p.Coins, p.Usd)));
    }

    [SharedFixtureFact]
    public async Task Docs_funding_and_mark_examples_make_a_ticker_with_an_8_hour_interval()
    {
        await using var server = await ServerAsync();
        server.Server.Get(MarkPrice, Shared("doc_examples/mark-price.doc.json"));
        server.Server.Get(Tickers, Shared("doc_examples/ticker.doc.json"));
        server.Server.Get(IndexTickers, FakeResponse.Json("""{"code":"0","msg":"","data":[]}"""));
        server.Server.Get(FundingRate, Shared("doc_examples/funding-rate.doc.json"));
        var ticker = Assert.Single(await server.Client().GetTickersAsync(["BTC-USDT-SWAP"], CancellationToken.None));
        Assert.Equal(200, ticker.Mark);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1597026383085), ticker.Time);
        Assert.Equal(0.0000182221218054, ticker.FundingRate);
        Assert.Equal(8, ticker.FundingIntervalHours);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1743609600000), ticker.NextFunding);
        // The docs' ticker example is of BTC-USD-SWAP: nothing for this symbol, so last and index are unknown.
        Assert.True(double.IsNaN(ticker.Last));
        Assert.True(double.IsNaN(ticker.Index));
    }

    [SharedFixtureFact]
    public async Task Docs_mark_and_index_examples_disagree_so_the_ticker_is_absurd()
    {
        await using var server = await ServerAsync();
        server.Server.Get(MarkPrice, Shared("doc_examples/mark-price.doc.json"));
        server.Server.Get(Tickers, Shared("doc_examples/ticker.doc.json"));
        server.Server.Get(IndexTickers, Shared("doc_examples/index-tickers.doc.json"));
        server.Server.Get(FundingRate, Shared("doc_examples/funding-rate.doc.json"));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTickersAsync(["BTC-USDT-SWAP"], CancellationToken.None));
        Assert.Equal(MarketFault.Absurd, ex.Fault);
        Assert.Contains("okx BTC-USDT-SWAP ticker: mark 200 is more than", ex.Message, StringComparison.Ordinal);
        Assert.Contains("from index 43350", ex.Message, StringComparison.Ordinal);
    }
}
