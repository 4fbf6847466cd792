using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Tests.Commands;

/// <summary>Every command through the router, on a real SQLite file.</summary>
public sealed class CommandRouterTests
{
    [Fact]
    public async Task EveryDocumentedExample_Works()
    {
        await using var bot = await BotHarness.StartAsync();
        for (var i = 0; i < 3; i++) await bot.SendAsync("/add BTC long 0.5 @ 60000 x20");
        // /snooze 17: alice's alerts 1 to 17 exist (the engine's own rows, as a sweep would write them).
        await using (var scope = bot.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
            var alice = await db.Users.SingleAsync();
            for (var i = 0; i < 17; i++)
                db.Alerts.Add(new AlertRecord
                {
                    OwnerId = alice.Id, Key = "p1.distance", Kind = PerpGuard.Core.Alerts.AlertKind.Distance, Summary = "test", Message = "{}",
                    IdempotencyKey = $"k{i}", Status = AlertStatus.Sent, CreatedAt = bot.Clock.GetUtcNow(),
                });
            await db.SaveChangesAsync();
        }
        // /remove last: the other examples edit position #3.
        foreach (var spec in CommandCatalog.All.OrderBy(s => s.Name == "remove"))
            foreach (var example in spec.Examples)
            {
                var reply = await bot.SendAsync(example);
                Assert.True(reply.Tone != ReplyTone.Error, $"{example} → {reply.Headline}");
            }
    }

    [Fact]
    public async Task WrongArgument_IsNamed_WithTheFormAndAnExample()
    {
        await using var bot = await BotHarness.StartAsync();
        Assert.Equal("""
            ✖ entry: '6O000' is not a number (a letter O where a zero belongs?).
              Form         /add [venue] <symbol> <long|short> <qty> @ <entry> x<leverage> [isolated|cross] [margin <amount>] [wallet <amount>] [mmr <rate>] [label <text>]
              Example      /add binance BTCUSDT long 0.5 @ 60000 x20

            """.Replace("\r", "", StringComparison.Ordinal), await bot.TextAsync("/add BTC long 0.5 @ 6O000 x20"));
    }

    [Theory]
    [InlineData("/add BTC long -1 @ 60000 x20", "qty: must be greater than 0 (got -1).")]
    [InlineData("/add BTC long 0.5 @ 60000 x200", "leverage: 200x is above binance BTCUSDT's maximum of 150x for this position size.")]
    [InlineData("/add XRP long 100 @ 0.5 x10", "symbol: no built-in binance linear tiers for XRP (built in: BTCUSDT, ETHUSDT, SOLUSDT); add mmr <rate> (e.g. mmr 0.5%) to use your own.")]
    [InlineData("/add hyperliquid BTCUSD long 100 @ 60000 x10", "symbol: Hyperliquid lists only linear (USDC) perpetuals.")]
    [InlineData("/add BTC long 0.5 @ 60000 cross x20", "wallet: is required.")]
    [InlineData("/add BTC long 0.5 @ 60000 x20 wallet 5000", "wallet: is for cross margin; isolated uses margin (or leverage alone).")]
    [InlineData("/add BTC long 0.5 @ 60000 margin 10", "margin: 10 is at or below the maintenance margin at entry (120): the venue would liquidate the position at once.")]
    [InlineData("/liq BTC long 0.5 @ 60000 x20 mark 0", "mark: must be greater than 0 (got 0).")]
    public async Task CalculatorErrors_AreNamedInChatTerms(string command, string headline)
    {
        await using var bot = await BotHarness.StartAsync();
        var reply = await bot.SendAsync(command);
        Assert.Equal(ReplyTone.Error, reply.Tone);
        Assert.Equal(headline, reply.Headline);
    }

    [Fact]
    public async Task Add_StoresTheNormalizedPosition_AndUsesTheDefaultVenue()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/settings venue okx");
        var reply = await bot.SendAsync("/add btc short 2 @ 61.5k x25 cross wallet 20k label hedge");
        Assert.Equal(ReplyTone.Success, reply.Tone);
        var p = await SinglePositionAsync(bot);
        Assert.Equal(Core.Venues.Venue.Okx, p.Venue);
        Assert.Equal("BTC-USDT-SWAP", p.Symbol);
        Assert.Equal(Core.Venues.MarginMode.Cross, p.MarginMode);
        Assert.Equal(Core.Venues.PositionSide.Short, p.Side);
        Assert.Equal((2.0, 61500.0, 25.0, 20000.0), (p.Quantity, p.Entry, p.Leverage!.Value, p.Wallet!.Value));
        Assert.Equal("hedge", p.Label);
        Assert.Equal(bot.Clock.GetUtcNow(), p.CreatedAt);
    }

    [Fact]
    public async Task Liq_ComputesWithoutSaving_AndShowsDistanceFromTheGivenMark()
    {
        await using var bot = await BotHarness.StartAsync();
        var text = await bot.TextAsync("/liq bybit BTCUSDT long 0.5 @ 60000 x20 mark 61000");
        Assert.Contains("Liquidation  57,286.5 USDT", text, StringComparison.Ordinal);
        Assert.Contains("Distance     6.09% · 3,713.6 from mark 61,000.0 to liquidation", text, StringComparison.Ordinal);
        Assert.Equal("You track no positions yet.", (await bot.SendAsync("/positions")).Headline);
    }

    [Fact]
    public async Task Risk_ShowsTheFullCard_WithMarketFieldsAsNotAvailable()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/add bybit BTCUSDT long 0.5 @ 60000 x20");
        var text = await bot.TextAsync("/risk BTC");
        Assert.Contains("#1 bybit BTCUSDT · linear · isolated · LONG 0.5 @ 60,000.0 · 20x", text, StringComparison.Ordinal);
        Assert.Contains("Bankruptcy   57,000.0 USDT", text, StringComparison.Ordinal);
        Assert.Contains("Distance     n/a: no mark price for this symbol yet; see /status", text, StringComparison.Ordinal);
        Assert.Contains("Funding      n/a: no funding rate for this symbol yet; see /status", text, StringComparison.Ordinal);
        Assert.Contains("Hit chance   " + MarketGaps.NoVolatility, text, StringComparison.Ordinal);
        Assert.Contains("Clusters     n/a: no mark price for this symbol yet; see /status", text, StringComparison.Ordinal);
        Assert.Equal("✖ Give one position id or one symbol.", (await bot.TextAsync("/risk 1 2")).Split('\n')[0]);
    }

    [Fact]
    public async Task Edit_ChangesOnlyWhatTheCalculatorAccepts()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/add binance BTCUSDT long 0.5 @ 60000 x20");

        var rejected = await bot.SendAsync("/edit 1 qty 0.75 leverage x500");
        Assert.Equal("leverage: 500x is above binance BTCUSDT's maximum of 150x for this position size. Nothing was changed.", rejected.Headline);
        Assert.Equal(0.5, (await SinglePositionAsync(bot)).Quantity);

        Assert.Equal("qty: 'lots' is not a number.", (await bot.SendAsync("/edit 1 qty lots")).Headline);
        Assert.Equal("venue: is not a field you can edit; use qty, entry, leverage, side, mode, margin, wallet, mmr or label (venue or symbol: /remove and /add).", (await bot.SendAsync("/edit 1 venue okx")).Headline);
        Assert.Equal("id: 'abc' is not a position id; /positions lists yours.", (await bot.SendAsync("/edit abc qty 1")).Headline);
        Assert.Equal("field: is missing; one of qty, entry, leverage, side, mode, margin, wallet, mmr, label.", (await bot.SendAsync("/edit 1")).Headline);

        bot.Clock.Advance(TimeSpan.FromMinutes(5));
        var ok = await bot.SendAsync("/edit #1 mode cross wallet 10k label moved to cross");
        Assert.Equal("Updated #1: mode, wallet, label.", ok.Headline);
        var p = await SinglePositionAsync(bot);
        Assert.Equal((Core.Venues.MarginMode.Cross, 10000.0, "moved to cross"), (p.MarginMode, p.Wallet!.Value, p.Label));
        Assert.Equal(bot.Clock.GetUtcNow(), p.UpdatedAt);

        await bot.SendAsync("/edit 1 label none");
        Assert.Null((await SinglePositionAsync(bot)).Label);
    }

    [Fact]
    public async Task Remove_AsksFirst_WhereTheChannelHasButtons()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/add BTC long 0.5 @ 60000 x20");
        var ask = await bot.SendAsync("/remove 1", buttons: true);
        Assert.Equal(ReplyTone.Warning, ask.Tone);
        Assert.Equal("Stop tracking #1 binance BTCUSDT LONG 0.5 @ 60000?", ask.Headline);
        Assert.Equal(["/remove 1 confirm", "/positions"], ask.Buttons.Select(b => b.Command));
        Assert.Single(await bot.StoredPositionsAsync());

        var done = await bot.SendAsync(ask.Buttons[0].Command, buttons: true);
        Assert.Equal("Removed #1 binance BTCUSDT LONG 0.5 @ 60000.", done.Headline);
        Assert.Empty(await bot.StoredPositionsAsync());
        Assert.Equal("No position #1. Send /positions to see yours.", (await bot.SendAsync("/remove 1")).Headline);
    }

    [Theory]
    [InlineData("/settings timezone Mars/Olympus", "timezone: 'Mars/Olympus' is not a time zone; write an IANA name such as Europe/Berlin or an offset such as UTC+2.")]
    [InlineData("/settings timezone UTC+15", "timezone: 'UTC+15' is not a time zone; write an IANA name such as Europe/Berlin or an offset such as UTC+2.")]
    [InlineData("/settings venue kraken", "venue: 'kraken' is not a venue; use binance, bybit, hyperliquid or okx.")]
    [InlineData("/settings alert_levels 20% 20%", "alert_levels: has the same level twice.")]
    [InlineData("/settings alert_levels 150%", "alert_levels: '150%' is not a percentage above 0% and below 100%.")]
    [InlineData("/settings alert_levels 1 2 3 4 5 6 7", "alert_levels: give 1 to 6 percentages, e.g. 20% 10% 5% 2%.")]
    [InlineData("/settings hit_chance 0", "hit_chance: '0' is not a percentage above 0% and up to 100%.")]
    [InlineData("/settings quiet_hours 23:00", "quiet_hours: '23:00' is not a window; write 23:00-07:00 (crossing midnight is fine) or off.")]
    [InlineData("/settings quiet_hours 7:00-7:00", "quiet_hours: '7:00-7:00' is not a window; write 23:00-07:00 (crossing midnight is fine) or off.")]
    [InlineData("/settings quiet_critical maybe", "quiet_critical: 'maybe' is not on or off.")]
    [InlineData("/settings colour blue", "colour: is not a setting; use timezone, venue, alert_levels, hit_chance, funding_share, quiet_hours, quiet_critical or daily_cap.")]
    [InlineData("/settings daily_cap 0", "daily_cap: '0' is not a whole number from 1 to 500.")]
    [InlineData("/settings daily_cap lots", "daily_cap: 'lots' is not a whole number from 1 to 500.")]
    [InlineData("/settings venue", "venue: needs a value.")]
    [InlineData("/mute", "duration: is missing.")]
    [InlineData("/mute forever", "duration|symbol: 'forever' is neither a duration (30m, 2h, 1d) nor a symbol you hold, have rules for, or PerpGuard knows.")]
    [InlineData("/mute BTC forever", "duration: 'forever' is not a duration; write 1h, 4h or 24h.")]
    [InlineData("/mute BTC 31d", "duration: must be at most 30d.")]
    [InlineData("/mute BTC 2h extra", "Give a duration, or a symbol and an optional duration.")]
    [InlineData("/mute 31d", "duration: must be at most 30d.")]
    [InlineData("/mute 10s", "duration|symbol: '10s' is neither a duration (30m, 2h, 1d) nor a symbol you hold, have rules for, or PerpGuard knows.")]
    public async Task SettingsAndMute_RejectBadValues_AndKeepTheOldOnes(string command, string headline)
    {
        await using var bot = await BotHarness.StartAsync();
        var before = await bot.TextAsync("/settings");
        Assert.Equal(headline, (await bot.SendAsync(command)).Headline);
        Assert.Equal(before, await bot.TextAsync("/settings"));
    }

    [Fact]
    public async Task Settings_ShowsEveryEffectiveValue_AndSavesNormalizedChanges()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/settings tz utc+2");
        await bot.SendAsync("/settings alert_levels 5,25%,10");
        await bot.SendAsync("/settings quiet 22:30-6:45");
        await bot.SendAsync("/settings quiet_critical off");
        await bot.SendAsync("/settings funding_share 7.5%");
        Assert.Equal("""
            Your settings (/settings <name> <value> changes one)
              timezone       UTC+02:00
              venue          binance
              alert_levels   25% 10% 5% from liquidation
              hit_chance     10% within 24h
              funding_share  7.5% of margin over 24h
              quiet_hours    22:30-06:45 UTC+02:00
              quiet_critical off (quiet hours hold everything)
              daily_cap      20 non-critical alerts a day, then a summary every 1h (critical ones are never capped)
              muted          all alerts on · symbols: none
              policy         cooldown distance 30m, hit chance 2h, cascade 1h, funding 8h (escalation never waits); critical reminder every 30m; re-arm 25% past a level; stale-data notice after 5m

            """.Replace("\r", "", StringComparison.Ordinal), await bot.TextAsync("/settings"));

        await using var scope = bot.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>().Users.SingleAsync();
        Assert.Equal([0.25, 0.10, 0.05], user.Alerts.Levels);
        Assert.Equal(new TimeOnly(22, 30), user.Alerts.QuietFrom);
        Assert.False(user.Alerts.CriticalInQuietHours);
    }

    [Fact]
    public async Task MuteAndStatus_UseTheClock_AndTheUsersTimeZone()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.SendAsync("/settings timezone Europe/Berlin");
        Assert.Equal("Push alerts muted for 2h, until 12:00 Europe/Berlin. /unmute resumes them.", (await bot.SendAsync("/mute 2h")).Headline);
        bot.Clock.Advance(TimeSpan.FromMinutes(135));
        var status = await bot.TextAsync("/status");
        Assert.Contains("Uptime       2h 15m (since 10:00 Europe/Berlin)", status, StringComparison.Ordinal);
        Assert.Contains("Alerts       on", status, StringComparison.Ordinal); // the 2 h mute has run out
        Assert.Contains("okx          " + MarketGaps.NoFreshness, status, StringComparison.Ordinal);

        await bot.SendAsync("/mute 1d");
        Assert.Contains("Alerts       muted until Sun 22 Nov 12:15 Europe/Berlin", await bot.TextAsync("/status"), StringComparison.Ordinal);
        Assert.Equal("Push alerts are on again.", (await bot.SendAsync("/unmute")).Headline);
        Assert.Equal("Push alerts were not muted; they are on.", (await bot.SendAsync("/unmute")).Headline);
    }

    [Theory]
    [InlineData("/posiitons", "Unknown command /posiitons. Did you mean /positions? (/help positions explains it)")]
    [InlineData("/weather", "Unknown command /weather. Send /help to see the commands.")]
    [InlineData("/help nope", "There is no /nope command. Send /help to see them all.")]
    [InlineData("/help ad", "There is no /ad command. Did you mean /add? Send /help to see them all.")]
    [InlineData("hello", "Commands start with '/'. Send /help to see them, or /add to track a position.")]
    public async Task UnknownCommands_GetTheClosestValidOne(string text, string headline)
    {
        await using var bot = await BotHarness.StartAsync();
        Assert.Equal(headline, (await bot.SendAsync(text)).Headline);
    }

    [Fact]
    public async Task Help_DocumentsEveryCommand_WithExamples()
    {
        await using var bot = await BotHarness.StartAsync();
        var overview = await bot.TextAsync("/help");
        foreach (var spec in CommandCatalog.All)
        {
            Assert.Contains("/" + spec.Name, overview, StringComparison.Ordinal);
            var detail = await bot.TextAsync("/help " + spec.Name);
            Assert.Contains("Form         " + spec.Usage, detail, StringComparison.Ordinal);
            Assert.All(spec.Examples, e => Assert.Contains("Example      " + e, detail, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task PositionCap_IsEnforced_WithAClearMessage()
    {
        await using var bot = await BotHarness.StartAsync();
        for (var i = 0; i < PositionCommands.MaxPositionsPerUser; i++) await bot.SendAsync("/add BTC long 0.01 @ 60000 x10");
        var reply = await bot.SendAsync("/add BTC long 0.01 @ 60000 x10");
        Assert.Equal("You track 50 positions, the most PerpGuard keeps per user. Remove one first (/remove <id>).", reply.Headline);
        Assert.Equal(50, (await bot.StoredPositionsAsync()).Count);
    }

    private static async Task<Position> SinglePositionAsync(BotHarness bot) => Assert.Single(await bot.StoredPositionsAsync());
}
