using PerpGuard.Bot.Market;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;
using Microsoft.Extensions.DependencyInjection;

namespace PerpGuard.Bot.Tests.Commands;

public sealed class LiveMarketCommandTests
{
    [Fact]
    public async Task Risk_and_positions_use_a_fresh_mark_and_funding_and_drop_them_once_stale()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/add bybit BTCUSDT long 0.5 @ 60000 x20");
        var ingest = bot.Services.GetRequiredService<MarketIngest>();
        await ingest.TickersAsync(Venue.Bybit, [new Ticker
        {
            Symbol = "BTCUSDT", Time = bot.Clock.GetUtcNow(), Mark = 59_000, Index = 59_010, FundingRate = 0.0001, FundingIntervalHours = 8,
        }], CancellationToken.None);

        var risk = await bot.TextAsync("/risk 1");
        Assert.Contains("Distance     2.90% · 1,713.6 from mark 59,000.0 to liquidation", risk, StringComparison.Ordinal);
        Assert.Contains("Funding      +0.0100% per 8h: you pay", risk, StringComparison.Ordinal);
        Assert.Contains("from mark 59,000.0", await bot.TextAsync("/positions"), StringComparison.Ordinal);

        bot.Clock.Advance(TimeSpan.FromSeconds(91));
        var stale = await bot.TextAsync("/risk 1");
        Assert.Contains("Distance     n/a: the mark price is stale (91 s ago), so it is not used; see /status", stale, StringComparison.Ordinal);
        Assert.Contains("Funding      n/a: the funding rate is stale (91 s ago)", stale, StringComparison.Ordinal);
        Assert.Matches(@"bybit BTCUSDT +prices STALE 91 s ago", await bot.TextAsync("/status"));
    }
}
