using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Market.Jobs;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Market;

public sealed class RetentionTests
{
    [Fact]
    public async Task Rows_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        var clock = new ManualClock();
        await using var market = await MarketHarness.StartAsync(clock, settings: new Dictionary<string, string?> { ["Market:Retention"] = "1.00:00:00" });
        var ingest = market.Get<MarketIngest>();
        var key = new MarketKey(Venue.Binance, "BTCUSDT");
        foreach (var age in new[] { 30, 25, 23 })
        {
            var at = clock.GetUtcNow().AddHours(-age);
            await ingest.TickersAsync(Venue.Binance, [new Ticker { Symbol = "BTCUSDT", Time = at, Mark = 97_000 }], CancellationToken.None);
            await ingest.OpenInterestAsync(key, [new OpenInterestPoint(at, 1, 97_000)], history: true, CancellationToken.None);
        }
        var job = new RetentionJob(market.Get<IServiceScopeFactory>(), market.Get<IOptions<MarketOptions>>(), clock, market.Get<ILogger<RetentionJob>>());

        Assert.Equal(4, await job.PruneAsync(CancellationToken.None));
        Assert.Equal(1, await market.QueryAsync(db => db.Tickers.CountAsync()));
        Assert.Equal(1, await market.QueryAsync(db => db.OpenInterest.CountAsync()));
        Assert.Equal(0, await job.PruneAsync(CancellationToken.None));
    }
}
