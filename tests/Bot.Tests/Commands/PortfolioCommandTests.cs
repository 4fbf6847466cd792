using System.Text.Json;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Tests.Alerts;
using PerpGuard.Bot.Tests.Cli;

namespace PerpGuard.Bot.Tests.Commands;

/// <summary>
/// <c>/stress</c>, <c>/portfolio</c> and <c>perpguard stress --jsonl</c> on the replayed flush's market at 19:00 (before
/// the flush): BTC 121,870 on Binance, ETH 4,381.77, Hyperliquid BTC 121,888; ETH's beta to BTC over the 7 stored days
/// is 1.24 (287 five-minute returns). The trader holds the replay demo's book: 0.5 BTC long 8x and 5 ETH long 15x on
/// Binance (isolated), 0.2 BTC short 3x on Hyperliquid.
/// </summary>
public sealed class PortfolioCommandTests
{
    private static async Task<AlertHarness> BookAsync()
    {
        var h = await AlertHarness.StartAsync();
        await h.SendAsync("/add binance BTCUSDT long 0.5 @ 121000 x8", "pia");
        await h.SendAsync("/add binance ETHUSDT long 5 @ 4380 x15", "pia");
        await h.SendAsync("/add hyperliquid BTC short 0.2 @ 121800 x3", "pia");
        return h;
    }

    [Fact]
    public async Task Stress_BtcMinus10_LiquidatesEthFirst_ByItsBeta_AndNamesTheMoveThatKillsEach()
    {
        await using var h = await BookAsync();
        var text = PlainTextReply.Render(await h.SendAsync("/stress", "pia"));
        var lines = text.Split('\n');

        // ETH (liquidation 6.33% below, beta 1.24) dies at BTC −6.33%/1.24 = −5.1%; the BTC long at −12.8%; the short never on a fall.
        // What the move costs from now: the BTC long 0.5·(109,683.2 − 121,870.2) = −6,094; ETH liquidated loses its 1,460
        // margin and its current +8.85; the short gains 0.2·(121,888 − 109,699) = +2,438. PnL against entry in brackets.
        Assert.Equal("Stress: BTC −10% · −$5,125 from now", lines[0]);
        Assert.Matches(@"#\d+ ETHUSDT LONG → 3,840\.42 · LIQUIDATED \(1st\) · −\$1,469 from now \(PnL −\$1,460\) · dies at BTC -5\.1%", text);
        Assert.Matches(@"#\d+ BTCUSDT LONG → 109,683\.2 · survives · −\$6,094 from now \(PnL −\$5,658\) · dies at BTC -12\.8%", text);
        Assert.Matches(@"#\d+ BTC SHORT +→ 109,699 · survives · \+\$2,438 from now \(PnL \+\$2,420\) · not liquidated by this kind of move", text);
        Assert.Contains("  Change          −$7,562 from now", text, StringComparison.Ordinal);
        Assert.Contains("Betas to BTC    5-minute returns 2025-10-03 19:00 to 2025-10-10 19:00 UTC: ETH 1.24 (287 returns) on binance", text, StringComparison.Ordinal);

        var all = PlainTextReply.Render(await h.SendAsync("/stress all -5%", "pia"));
        Assert.Matches(@"ETHUSDT LONG → 4,162\.68 · survives · −\$1,095 from now .* dies at all -6\.3%", all);
        var pairs = PlainTextReply.Render(await h.SendAsync("/stress ETH -20% BTC -5%", "pia"));
        Assert.StartsWith("Stress: BTC −5%, ETH −20%", pairs, StringComparison.Ordinal);
        Assert.Matches(@"ETHUSDT LONG → 3,505\.42 · LIQUIDATED \(1st\) .* dies at 0\.32× these moves", pairs);
    }

    [Fact]
    public async Task Stress_ACrossAccount_DiesAsAWhole_TheSharedWalletGoes()
    {
        await using var h = await AlertHarness.StartAsync();
        await h.SendAsync("/add binance BTCUSDT long 1 @ 121000 x20 cross wallet 8000", "cody");
        await h.SendAsync("/add binance ETHUSDT long 10 @ 4380 x20 cross wallet 8000", "cody");
        var text = PlainTextReply.Render(await h.SendAsync("/stress btc -5%", "cody"));
        // Equity now 8,000 + 870.2 + 17.7 = 8,888: the whole of it is lost when the shared wallet runs out, at BTC −4.7%
        // (ETH moving 1.24× as far), long before either position's own price would matter.
        Assert.StartsWith("Stress: BTC −5% · −$8,888 from now", text, StringComparison.Ordinal);
        Assert.Matches(@"BTCUSDT LONG → 115,776\.7 · LIQUIDATED \(1st\) .* dies at BTC -4\.7%", text);
        Assert.Matches(@"ETHUSDT LONG → 4,111\.10 · LIQUIDATED \(1st\) .* dies at BTC -4\.7%", text);
        Assert.Contains("Cross account   LIQUIDATED at BTC -4.7%: the shared wallet ($8,000) is gone, with every cross position", text, StringComparison.Ordinal);
        var portfolio = PlainTextReply.Render(await h.SendAsync("/portfolio", "cody"));
        Assert.Contains("Cross        wallet $8,000 · equity $8,888 · maintenance $663 · margin ratio 7.5%", portfolio, StringComparison.Ordinal);
        Assert.Contains("Account liq. BTC -4.7% down", portfolio, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/stress btc -10", "✖ move: '-10' is not a move; write a percentage, e.g. -10% or +5%.")]
    [InlineData("/stress btc", "✖ scenario: 'btc' needs a move after each name, e.g. btc -10%.")]
    [InlineData("/stress btc -150%", "✖ move: -150% is out of range: a move is above -100% and at most +1000%, and not zero.")]
    [InlineData("/stress all 0%", "✖ move: 0% is out of range: a move is above -100% and at most +1000%, and not zero.")]
    [InlineData("/stress 12 -5%", "✖ symbol: '12' is not btc, all or a symbol.")]
    public async Task Stress_BadInput_IsNamed_WithTheFormAndAnExample(string command, string headline)
    {
        await using var h = await BookAsync();
        var reply = PlainTextReply.Render(await h.SendAsync(command, "pia")).Split('\n');
        Assert.Equal(headline, reply[0]);
        Assert.Equal("  Form         /stress [btc|all|<symbol>] <move%> [<symbol> <move%> ...]", reply[1]);
    }

    [Fact]
    public async Task Portfolio_ShowsEachAccount_TheMovesThatStartLiquidations_LVaR_AndMonteCarloChances()
    {
        await using var h = await BookAsync();
        var text = PlainTextReply.Render(await h.SendAsync("/portfolio", "pia"));
        Assert.StartsWith("Portfolio: 3 positions on 2 venue accounts", text, StringComparison.Ordinal);
        Assert.Contains("binance account", text, StringComparison.Ordinal);
        Assert.Contains("First liq.   BTC -5.1% down, none (searched to −99% / +1000%) up", text, StringComparison.Ordinal);
        Assert.Contains("First liq.   BTC none (searched to −99% / +1000%) down, 31.6% up", text, StringComparison.Ordinal);
        Assert.Matches(@"L-VaR #\d+ +\$[\d,]+ \(book as is\) · \$[\d,]+ \(30% of it left\) · 99%, 24 h: VaR \$[\d,]+ \+ spread \$[\d,]+ \+ slippage \$[\d,]+ / \$[\d,]+", text);
        Assert.Matches(@"Hit chance   24 h, 20,000 paths resampling the stored 5-minute moves .*: any liquidation [\d.<]+%", text);
        // Deterministic: the same book at the same moment gives the same chances.
        Assert.Equal(text, PlainTextReply.Render(await h.SendAsync("/portfolio", "pia")));
    }

    [Fact]
    public async Task Portfolio_WithNoPositions_SaysSo()
    {
        await using var h = await AlertHarness.StartAsync();
        Assert.Equal("You have no positions to stress. Add one: /add binance BTCUSDT long 0.5 @ 60000 x20\n",
            PlainTextReply.Render(await h.SendAsync("/portfolio", "nobody")));
    }

    [Fact]
    public async Task StressJsonl_OneResultPerLine_InOrder_ErrorsNamed_ExitCode2()
    {
        // Two cross longs on one 10,000 wallet at marks 61,000 and 3,100; BTC −10% moves BTC to 54,900 and ETH (beta 1.3) by
        // −13% to 2,697: PnL 0.5·(54,900 − 61,000) = −3,050 relative to the mark... reported against entry: 0.5·(54,900 − 60,000) = −2,550
        // and 5·(2,697 − 3,000) = −1,515.
        const string good = """{"id":"a","wallet":10000,"scenario":{"btc":-0.1},"betas":{"ETH":1.3},"positions":[{"id":"btc","venue":"binance","symbol":"BTCUSDT","side":"long","qty":0.5,"entry":60000,"leverage":20,"margin_mode":"cross","mark":61000},{"id":"eth","venue":"binance","symbol":"ETHUSDT","side":"long","qty":5,"entry":3000,"leverage":10,"margin_mode":"cross","mark":3100}]}""";
        const string noMark = """{"id":"b","scenario":{"all":-0.05},"positions":[{"venue":"bybit","symbol":"BTCUSDT","side":"short","qty":1,"entry":60000,"leverage":10}]}""";
        const string badSide = """{"id":"c","scenario":{"moves":{"ETH":-0.2}},"positions":[{"venue":"bybit","symbol":"ETHUSDT","side":"lng","qty":1,"entry":3000,"leverage":10,"mark":3000}]}""";
        var result = await CliRunner.RunWithAsync($"{good}\n{noMark}\n{badSide}\nnot json\n", null, "stress", "--jsonl");

        Assert.Equal(2, result.ExitCode);
        var lines = result.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        var a = lines[0];
        Assert.Equal(("a", "BTC −10%"), (a.GetProperty("id").GetString(), a.GetProperty("scenario").GetString()));
        var positions = a.GetProperty("positions").EnumerateArray().ToList();
        Assert.Equal((54_900.0, -2_550.0), (positions[0].GetProperty("shocked_price").GetDouble(), positions[0].GetProperty("pnl").GetDouble()));
        Assert.Equal(2_697.0, positions[1].GetProperty("shocked_price").GetDouble(), 9);
        Assert.Equal(-1_515.0, positions[1].GetProperty("pnl").GetDouble(), 9);
        Assert.False(a.GetProperty("account_liquidated").GetBoolean());
        Assert.InRange(a.GetProperty("account_kill_move").GetDouble(), -0.3, -0.1);
        Assert.Equal("positions[0].mark: required, the current mark price (the scenario moves it)", lines[1].GetProperty("error").GetString());
        Assert.StartsWith("positions[0].side:", lines[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("line 4: not a stress line", lines[3].GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
