using System.Text.Json.Nodes;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market.Hyperliquid;

/// <summary>
/// The Hyperliquid client over the recordings in ../shared/fixtures/market/hyperliquid. No metaAndAssetCtxs body was
/// ever recorded, so one is assembled here, in memory, from the recorded meta and the recorded activeAssetCtx ctx.
/// </summary>
public sealed class HyperliquidRecordedTests
{
    // A ctx for the universe entries the test does not look at: valid, and unlike the recorded one.
    private const string Placeholder = """{"funding":"0.0","openInterest":"1.0","dayNtlVlm":"0.0","oraclePx":"1.0","markPx":"1.0","midPx":null,"dayBaseVlm":"0.0"}""";

    /// <summary><c>[meta, ctxs]</c> with the recorded BTC ctx at <paramref name="recordedAt"/> and placeholders elsewhere.</summary>
    private static string MetaAndCtxs(string metaFile, int recordedAt)
    {
        var meta = JsonNode.Parse(SharedFixtures.Read(metaFile))!;
        var ctx = JsonNode.Parse(SharedFixtures.Read("hyperliquid/ws_activeAssetCtx.BTC.recorded_2026.json"))!["data"]!["ctx"]!.ToJsonString();
        var count = meta["universe"]!.AsArray().Count;
        var ctxs = Enumerable.Range(0, count).Select(i => i == recordedAt ? ctx : Placeholder);
        return $"[{meta.ToJsonString()},[{string.Join(',', ctxs)}]]";
    }

    private static async Task<HyperliquidTestServer> ServerAsync(string metaAndCtxs, DateTimeOffset? now = null)
    {
        var server = await HyperliquidTestServer.StartAsync(now);
        server.On("metaAndAssetCtxs", metaAndCtxs);
        return server;
    }

    [SharedFixtureFact]
    public async Task Recorded_btc_ctx_reads_as_the_btc_ticker()
    {
        await using var server = await ServerAsync(MetaAndCtxs("hyperliquid/meta.recorded_trimmed.json", 0));
        var btc = Assert.Single(await server.Client().GetTickersAsync(["BTC"], CancellationToken.None));
        Assert.Equal(83757.0, btc.Mark);
        Assert.Equal(83778.1, btc.Index);
        Assert.Equal(83757.5, btc.Last);
        Assert.Equal(0.0000125, btc.FundingRate);
        Assert.Equal(0.0000125, btc.FundingPerHour);
        Assert.Equal(39338.76246, btc.OpenInterest);
        Assert.Equal(3096053627.5618200302, btc.QuoteVolume24h);
        Assert.Equal(36757.56691, btc.Volume24h);
        var oi = await server.Client().GetOpenInterestAsync("BTC", CancellationToken.None);
        Assert.Equal(39338.76246 * 83757.0, oi.Usd);
    }

    [SharedFixtureFact]
    public async Task Recorded_universe_keeps_the_delisted_matic_at_index_three_so_sol_is_ctx_five()
    {
        await using var server = await ServerAsync(MetaAndCtxs("hyperliquid/meta.recorded_trimmed.json", 5));
        var tickers = await server.Client().GetTickersAsync(["SOL", "MATIC", "DYDX"], CancellationToken.None);
        Assert.Equal(["DYDX", "SOL"], tickers.Select(t => t.Symbol));
        Assert.Equal(1.0, tickers[0].Mark);
        Assert.Equal(83757.0, tickers[1].Mark);
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetOpenInterestAsync("MATIC", CancellationToken.None));
        Assert.Equal(MarketFault.UnknownSymbol, ex.Fault);
    }

    [SharedFixtureFact]
    public async Task Recorded_margin_tables_give_the_shipped_tier_tables()
    {
        await using var server = await ServerAsync(MetaAndCtxs("hyperliquid/meta.recorded_trimmed.json", 0));
        var client = server.Client();
        foreach (var coin in new[] { "BTC", "ETH", "SOL" })
        {
            var live = await client.GetTiersAsync(coin, CancellationToken.None);
            Assert.NotNull(live);
            Assert.True(TierCatalog.BuiltIn.TryFind(Venue.Hyperliquid, ContractType.Linear, coin, out var shipped));
            Assert.Equal(shipped.Tiers.Length, live.Tiers.Length);
            for (var i = 0; i < live.Tiers.Length; i++)
            {
                var (a, b) = (shipped.Tiers[i], live.Tiers[i]);
                Assert.Equal((b.Floor, b.Cap, b.MaxLeverage), (a.Floor, a.Cap, a.MaxLeverage));
                Assert.Equal(a.MaintenanceRate, b.MaintenanceRate, 9);
                Assert.Equal(a.MaintenanceAmount, b.MaintenanceAmount, 3);
            }
        }
        // BTC is the only coin with a recorded ctx: its mark 83757 makes the effective tick 1, as tiers.json notes.
        Assert.Equal(1, (await client.GetTiersAsync("BTC", CancellationToken.None))!.TickSize);
        // ATOM's marginTableId 5 is not in marginTables: one tier at its maxLeverage 5.
        var atom = await client.GetTiersAsync("ATOM", CancellationToken.None);
        Assert.Equal([new MarginTier(0, 1e15, 0.1, 0, 5)], atom!.Tiers.ToArray());
    }

    [SharedFixtureFact]
    public async Task Recorded_btc_book_2026()
    {
        await using var server = await ServerAsync(MetaAndCtxs("hyperliquid/meta.recorded_trimmed.json", 0));
        server.On("l2Book", SharedFixtures.Read("hyperliquid/l2Book.BTC.recorded_trimmed_2026.json"));
        var book = await server.Client().GetOrderBookAsync("BTC", 20, CancellationToken.None);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1790358575700), book.Time);
        Assert.Equal(5, book.Bids.Length);
        Assert.Equal(5, book.Asks.Length);
        Assert.Equal(new BookLevel(83767.0, 6.87634), book.Bids[0]);
        Assert.Equal(new BookLevel(83763.0, 1.30332), book.Bids[4]);
        Assert.Equal(new BookLevel(83768.0, 0.30543), book.Asks[0]);
        Assert.Equal(new BookLevel(83772.0, 1.23158), book.Asks[4]);
    }

    [SharedFixtureFact]
    public async Task Recorded_dydx_book_2023_with_time_after_the_levels()
    {
        await using var server = await ServerAsync(MetaAndCtxs("hyperliquid/meta.recorded_trimmed.json", 0));
        server.On("l2Book", SharedFixtures.Read("hyperliquid/l2Book.DYDX.cassette_2023.json"));
        var book = await server.Client().GetOrderBookAsync("DYDX", 50, CancellationToken.None);
        // SOURCES.md says this recording has no time field; it has one, after the levels.
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1689630203930), book.Time);
        Assert.Equal(20, book.Bids.Length);
        Assert.Equal(20, book.Asks.Length);
        Assert.Equal(new BookLevel(2.111, 134.4), book.Bids[0]);
        Assert.Equal(new BookLevel(1.81, 2397.0), book.Bids[19]);
        Assert.Equal(new BookLevel(2.1124, 352.3), book.Asks[0]);
        Assert.Equal(new BookLevel(2.1518, 62.0), book.Asks[19]);
    }

    [SharedFixtureFact]
    public async Task Recorded_btc_hourly_candles_2026_with_the_last_still_forming()
    {
        // Half an hour into the last recorded bar (opened 1790359200000).
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1790359200000) + TimeSpan.FromMinutes(30);
        await using var server = await ServerAsync(MetaAndCtxs("hyperliquid/meta.recorded_trimmed.json", 0), now);
        server.On("candleSnapshot", SharedFixtures.Read("hyperliquid/candleSnapshot.BTC.1h.recorded_2026.json"));
        var bars = await server.Client().GetBarsAsync("BTC", MarketKind.Perp, TimeSpan.FromHours(1), 5, CancellationToken.None);
        Assert.Equal(5, bars.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1790344800000), bars[0].OpenTime);
        Assert.Equal((83912.0, 84039.0, 83133.0, 84010.0, 3997.94344), (bars[0].Open, bars[0].High, bars[0].Low, bars[0].Close, bars[0].Volume));
        Assert.Equal((83766.0, 83952.0, 83766.0, 83931.0, 243.50048), (bars[4].Open, bars[4].High, bars[4].Low, bars[4].Close, bars[4].Volume));
        Assert.Equal([true, true, true, true, false], bars.Select(b => b.Closed));
    }

    [SharedFixtureFact]
    public async Task Recorded_kpepe_candles_2023_over_a_meta_without_margin_tables()
    {
        // The 2023 meta has kPEPE (universe[15]) but no marginTables or marginTableId; one hour after the last close.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1684785600000) + TimeSpan.FromHours(1);
        await using var server = await ServerAsync(MetaAndCtxs("hyperliquid/meta.cassette_2023.json", 15), now);
        server.On("candleSnapshot", SharedFixtures.Read("hyperliquid/candleSnapshot.kPEPE.1h.cassette_2023.json"));
        var client = server.Client();
        var bars = await client.GetBarsAsync("kPEPE", MarketKind.Perp, TimeSpan.FromHours(1), 24, CancellationToken.None);
        Assert.Equal(24, bars.Count);
        Assert.All(bars, b => Assert.True(b.Closed));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1684699200000), bars[0].OpenTime);
        Assert.Equal((0.001601, 0.001616, 0.001601, 0.001604, 520665683.0), (bars[0].Open, bars[0].High, bars[0].Low, bars[0].Close, bars[0].Volume));
        Assert.Equal((0.001538, 0.00154, 308219489.0), (bars[23].Open, bars[23].Close, bars[23].Volume));

        var tiers = await client.GetTiersAsync("kPEPE", CancellationToken.None);
        Assert.Equal([new MarginTier(0, 1e15, 0.01, 0, 50)], tiers!.Tiers.ToArray());
    }

    [SharedFixtureFact]
    public async Task Recorded_422_plain_text_is_a_venue_error()
    {
        var text = SharedFixtures.Read("hyperliquid/error.info_unknown_type.http422.txt");
        await using var server = await ServerAsync("[]");
        server.On("metaAndAssetCtxs", FakeResponse.Error(422, text, "text/plain"));
        var ex = await Assert.ThrowsAsync<MarketDataException>(() => server.Client().GetTiersAsync("BTC", CancellationToken.None));
        Assert.Equal(MarketFault.VenueError, ex.Fault);
        Assert.Contains($"HTTP 422 ({text.Trim()})", ex.Message, StringComparison.Ordinal);
    }
}
