using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Risk;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Cli;
using PerpGuard.Bot.Tests.Commands;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Replay;

/// <summary>
/// The shipped <c>oct10-flush</c> scenario against the cluster map, the cascade score and the rules. The story the
/// scenario tells (a long-liquidation flush from 121.5k to 102k in 20:50–21:30, a failed rebound, partial OI rebuild),
/// and what each part must therefore say:
/// <list type="bullet">
/// <item>Before the flush (20:45), a day of rising open interest has stacked estimated long liquidations a few percent
/// under price: the downside label is high or critical, the upside lower, and a long opened at 121k x20 has clusters between
/// price and its liquidation.</item>
/// <item>The flush runs through those clusters: afterwards (01:00) the long notional within 5% under price is a small
/// fraction of what it was.</item>
/// <item>With the full book (W = 1) a $100M sell moves price under 0.5%: a static book cannot explain the crash (§b.7 i).
/// With the depth left at the worst minute (W ≈ 0.009, $244M → $2.14M within 1%) the same sell runs double digits,
/// flagged as leaving the book's reach (§b.7 ii).</item>
/// <item>Rules: a support at 118,000 is armed before and fired after. R1 sees the flush (OI −10% and price −5% within
/// 24 h) but does not fire: open interest in USD (the spec's OIusd) is back to only about 76% of its pre-flush peak by 01:00, under the 90% threshold.
/// R2 does not fire: funding was 0.010–0.012% per 8 h before (under its 0.03% bar) and negative after.</item>
/// </list>
/// </summary>
public sealed class Oct10FlushRiskTests
{
    private static readonly DateTimeOffset BeforeFlush = new(2025, 10, 10, 20, 45, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2025, 10, 11, 1, 0, 0, TimeSpan.Zero);
    private static readonly MarketKey Btc = new(Venue.Binance, "BTCUSDT");

    private static async Task<BotHarness> AtAsync(DateTimeOffset at)
    {
        var bot = await BotHarness.StartAsync(at, new Dictionary<string, string?> { ["Market:StoreEvery"] = "00:00:00" });
        var scenario = ReplayScenario.Load("oct10-flush");
        var s = bot.Services;
        var source = new ReplaySource(scenario, new ReplayClock(scenario.Header.PlayFrom, 1), s.GetRequiredService<MarketIngest>(),
            s.GetRequiredService<MarketState>(), s.GetRequiredService<IServiceScopeFactory>(), s.GetRequiredService<ILogger<ReplaySource>>());
        await source.PlayUntilAsync(at, CancellationToken.None);
        return bot;
    }

    private static async Task<SymbolRisk> RiskAsync(BotHarness bot, DateTimeOffset at)
    {
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        return await bot.Services.GetRequiredService<RiskService>().AnalyzeAsync(db, Btc, at, CancellationToken.None);
    }

    [Fact]
    public async Task Before_the_flush_long_clusters_sit_under_price_and_the_downside_label_is_high()
    {
        await using var bot = await AtAsync(BeforeFlush);
        var risk = await RiskAsync(bot, BeforeFlush);

        Assert.NotNull(risk.Map);
        Assert.True(risk.Down!.Label >= Core.Cascade.CascadeLabel.High, $"downside {risk.Down.Label}");
        Assert.True(risk.Up!.Label < risk.Down.Label, $"upside {risk.Up.Label} should be below downside {risk.Down.Label}");
        Assert.True(double.IsFinite(risk.Down.TriggerCostUsd) && risk.Down.TriggerCostUsd > 0);
        Assert.True(risk.Volatility is > 0.05 and < 2, $"volatility {risk.Volatility}");

        await bot.SendAsync("/add binance BTCUSDT long 1 @ 121000 x20");
        var card = await bot.TextAsync("/risk 1");
        Assert.Matches(@"Cascade +HIGH downside: stressed coverage \d\.\d\d within", card);
        Assert.Matches(@"Your liq +115,412 \(-5\.\d%\): \d clusters? \(\$\d+M\) between price and it", card);
        Assert.Matches(@"Trigger +\$\d+M of selling \(\d+% of the last hour's volume\) starts a chain reaching −\d\.\d%", card);
        Assert.Matches(@"Hit\+cascade +\d+\.\d% within 24h \(GBM base", card);
        Assert.Contains("uncalibrated", card, StringComparison.Ordinal);
        Assert.DoesNotContain("n/a", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_flush_runs_through_the_long_clusters_and_leaves_a_fraction_of_them()
    {
        double before, after;
        await using (var bot = await AtAsync(BeforeFlush)) before = (await RiskAsync(bot, BeforeFlush)).Map!.NotionalWithin(PositionSide.Long, 0.05);
        await using (var bot = await AtAsync(End)) after = (await RiskAsync(bot, End)).Map!.NotionalWithin(PositionSide.Long, 0.05);
        Assert.True(after * 3 < before, $"long notional within 5%: {before:N0} before, {after:N0} after");
    }

    [Fact]
    public async Task Rules_fire_and_stay_quiet_as_the_story_says()
    {
        await using (var bot = await AtAsync(BeforeFlush))
        {
            var rules = await RulesAsync(bot);
            Assert.StartsWith("3 rules in force\n", rules, StringComparison.Ordinal);
            Assert.DoesNotContain("FIRED", rules, StringComparison.Ordinal);
            Assert.Contains("flushes in window 0", rules, StringComparison.Ordinal);
        }
        await using (var bot = await AtAsync(End))
        {
            var rules = await RulesAsync(bot);
            Assert.StartsWith("⚠ 3 rules in force, 1 fired\n", rules, StringComparison.Ordinal);
            Assert.Contains("#1 R3 binance BTCUSDT · FIRED", rules, StringComparison.Ordinal);
            var r1 = Section(rules, "#2 R1");
            Assert.Contains("flush time 10-10", r1, StringComparison.Ordinal);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(r1, @"OI/OIpre 7\d\.\d+%"), r1);
            Assert.Contains("no liquidation feed", r1, StringComparison.Ordinal);
            Assert.DoesNotContain("FIRED", r1, StringComparison.Ordinal);
            Assert.DoesNotContain("FIRED", Section(rules, "#3 R2"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_static_full_book_cannot_explain_the_crash_but_the_depth_left_at_the_worst_minute_can()
    {
        var at = BeforeFlush.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var full = await CliRunner.RunAsync("cascade", "BTC", "--replay", "oct10-flush", "--at", at, "--w", "1", "--shock", "100M", "--json");
        Assert.True(full.ExitCode == 0, full.Stderr);
        var thin = await CliRunner.RunAsync("cascade", "BTC", "--replay", "oct10-flush", "--at", at, "--w", "0.009", "--shock", "100M", "--json");
        Assert.True(thin.ExitCode == 0, thin.Stderr);

        using var a = JsonDocument.Parse(full.Stdout);
        using var b = JsonDocument.Parse(thin.Stdout);
        var fullDown = a.RootElement.GetProperty("down");
        var thinDown = b.RootElement.GetProperty("down");
        Assert.Equal(100e6, fullDown.GetProperty("shock_usd").GetDouble());
        Assert.True(fullDown.GetProperty("move").GetDouble() < 0.02, $"full book: {fullDown.GetProperty("move")}");
        Assert.True(thinDown.GetProperty("move").GetDouble() > 0.10, $"thin book: {thinDown.GetProperty("move")}");
        Assert.True(thinDown.GetProperty("extrapolated").GetBoolean());
    }

    [Fact]
    public async Task Clusters_on_the_cli_list_the_estimate_with_its_parameters_as_text_and_json()
    {
        var text = await CliRunner.RunAsync("clusters", "BTC", "--replay", "oct10-flush");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Equal("binance BTCUSDT  (replay oct10-flush, as of 2025-10-11 01:00 UTC)", text.Lines[0]);
        Assert.Contains(text.Lines, l => l.Contains("── mark ──", StringComparison.Ordinal));
        Assert.All(text.Lines.Where(l => l.StartsWith(' ')), l => Assert.True(l.Length <= RiskText.LadderWidth, l));

        var json = await CliRunner.RunAsync("clusters", "btcusdt", "--replay", "oct10-flush", "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var root = doc.RootElement;
        Assert.StartsWith("estimate: 5/10/25/50/100x", root.GetProperty("parameters").GetString(), StringComparison.Ordinal);
        Assert.False(root.GetProperty("calibrated").GetBoolean());
        Assert.True(root.GetProperty("clusters").GetArrayLength() > 0);
        Assert.All(root.GetProperty("clusters").EnumerateArray(), c => Assert.True(c.GetProperty("notional_usd").GetDouble() > 0));

        var bad = await CliRunner.RunAsync("cascade", "BTC", "--replay", "oct10-flush", "--w", "1.5");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: --w must be a share of depth in (0, 1]", bad.Stderr, StringComparison.Ordinal);
        var shock = await CliRunner.RunAsync("cascade", "BTC", "--replay", "oct10-flush", "--shock", "lots");
        Assert.Equal(2, shock.ExitCode);
        Assert.StartsWith("error: --shock 'lots' is not a positive USD amount", shock.Stderr, StringComparison.Ordinal);
        var at = await CliRunner.RunAsync("clusters", "BTC", "--replay", "oct10-flush", "--at", "2024-01-01T00:00:00Z");
        Assert.Equal(2, at.ExitCode);
        Assert.Contains("is outside the scenario", at.Stderr, StringComparison.Ordinal);
    }

    // The same three rules at either moment: support at 118,000 (#1), R1 (#2), R2 (#3); then /rules as the console shows it.
    private static async Task<string> RulesAsync(BotHarness bot)
    {
        await bot.SendAsync("/rule add support binance BTCUSDT 118000");
        await bot.SendAsync("/rule add R1 binance BTCUSDT");
        await bot.SendAsync("/rule add R2 binance BTCUSDT");
        return await bot.TextAsync("/rules");
    }

    private static string Section(string text, string title)
    {
        var start = text.IndexOf(title, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {title} in:\n{text}");
        var next = text.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        return next < 0 ? text[start..] : text[start..next];
    }
}
