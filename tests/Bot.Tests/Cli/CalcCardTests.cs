namespace PerpGuard.Bot.Tests.Cli;

/// <summary><c>perpguard calc</c> with flags: the readable card, and named errors for bad flags.</summary>
public class CalcCardTests
{
    [Fact]
    public async Task Prints_a_card_with_liquidation_margins_distance_funding_and_hit_chance()
    {
        var r = await CliRunner.RunAsync("calc", "--venue", "bybit", "--symbol", "BTCUSDT", "--side", "long", "--entry", "60000", "--qty", "0.5",
            "--leverage", "20", "--mmr", "0.5%", "--mark", "61000", "--funding-rate", "0.0001", "--vol", "60%", "--horizon", "24h");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("bybit BTCUSDT · linear · isolated · LONG 0.5 @ 60,000.0 · 20x", r.Stdout, StringComparison.Ordinal);
        // At-mark Bybit form with MMR 0.5%: L = (60000·0.5 − 1500)/(0.5·0.995) = 57,286.43, shown rounded up to the 0.1 tick.
        Assert.Contains("Liquidation  57,286.5 USDT (exact 57,286.432161, rounded up to the 0.1 tick)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Bankruptcy   57,000.0 USDT\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Bracket      custom: MMR 0.500%", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("initial 1,500.00 USDT", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Distance     6.09%", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("you pay 3.05 USDT per settlement", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Hit chance", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_position_that_cannot_be_liquidated_says_so()
    {
        var r = await CliRunner.RunAsync("calc", "--venue", "binance", "--symbol", "BTCUSDT", "--side", "long", "--entry", "60000", "--qty", "0.5", "--leverage", "1");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Liquidation  none: this position cannot be liquidated", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_margin_with_a_wallet_and_trader_style_numbers()
    {
        var r = await CliRunner.RunAsync("calc", "--venue", "okx", "--symbol", "eth-usdt-swap", "--side", "short", "--entry", "3,150", "--qty", "3",
            "--leverage", "10x", "--margin-mode", "cross", "--wallet", "1.5k");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("okx ETH-USDT-SWAP · linear · cross · SHORT 3 @ 3,150", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("wallet 1,500.00 USDT", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--qty", "-1", "error: --qty: must be greater than 0 (got -1). Example: --qty 0.5")]
    [InlineData("--qty", "0", "error: --qty: must be greater than 0 (got 0). Example: --qty 0.5")]
    [InlineData("--entry", "6O000", "error: --entry: '6O000' is not a number. Example: --entry 60000")]
    [InlineData("--entry", "1e308", "error: --entry: must be at most 1e+09 (got 1e+308). Example: --entry 60000")]
    [InlineData("--entry", "NaN", "error: --entry: 'NaN' is not a number. Example: --entry 60000")]
    [InlineData("--leverage", "0", "error: --leverage: must be greater than 0 (got 0). Example: --leverage 20")]
    [InlineData("--leverage", "500x", "error: --leverage: 500x is above bybit BTCUSDT's maximum of")]
    [InlineData("--venue", "mtgox", "error: --venue: unknown venue 'mtgox'; use binance, bybit, hyperliquid or okx. Example: --venue bybit")]
    [InlineData("--symbol", "XRPUSDT", "error: --symbol: no built-in bybit linear tiers for XRPUSDT")]
    [InlineData("--side", "lng", "error: --side: 'lng' is not a side; use long or short. Example: --side long")]
    public async Task Bad_flags_get_a_message_naming_the_flag_and_an_example(string flag, string value, string expected)
    {
        var args = new Dictionary<string, string>
        {
            ["--venue"] = "bybit", ["--symbol"] = "BTCUSDT", ["--side"] = "long", ["--entry"] = "60000", ["--qty"] = "0.5", ["--leverage"] = "20",
        };
        args[flag] = value;

        var r = await CliRunner.RunAsync(["calc", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith(expected, r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task An_unknown_flag_is_a_usage_error_not_a_crash()
    {
        var r = await CliRunner.RunAsync("calc", "--levrage", "20");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--levrage", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("perpguard calc --help", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_calc_flags()
    {
        var r = await CliRunner.RunAsync("calc", "--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--jsonl", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--funding-rate", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_is_reported_at_start()
    {
        var r = await CliRunner.RunWithAsync("", b => b.Configuration["Calculator:OkxTakerFee"] = "5",
            "calc", "--venue", "okx", "--symbol", "BTC", "--side", "long", "--entry", "60000", "--qty", "1", "--leverage", "10");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("configuration error", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("OkxTakerFee", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_taker_fee_comes_from_configuration()
    {
        string[] args = ["calc", "--venue", "okx", "--symbol", "BTC", "--side", "long", "--entry", "60000", "--qty", "1", "--leverage", "10"];
        var standard = await CliRunner.RunWithAsync("", null, args);
        var cheaper = await CliRunner.RunWithAsync("", b => b.Configuration["Calculator:OkxTakerFee"] = "0", args);

        Assert.NotEqual(Line(standard.Stdout, "Liquidation"), Line(cheaper.Stdout, "Liquidation"));
    }

    private static string Line(string card, string label) => card.Split('\n').Single(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
}
