using System.Text;
using System.Text.Json;

namespace PerpGuard.Bot.Tests.Cli;

/// <summary><c>perpguard calc --jsonl</c>: one response per request line, in order; bad lines answered, never fatal.</summary>
public class CalcJsonlTests
{
    private const string Btc = "\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"side\":\"long\",\"entry\":60000,\"qty\":0.5,\"leverage\":20";

    private static async Task<JsonElement[]> RunAsync(string stdin)
    {
        var r = await CliRunner.RunWithAsync(stdin, null, "calc", "--jsonl");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        return r.Lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    [Fact]
    public async Task Each_line_gets_a_response_in_order_with_the_documented_fields()
    {
        var lines = await RunAsync(
            $"{{\"id\":\"a\",{Btc},\"mark\":61000,\"funding_rate\":0.0001,\"volatility\":0.6,\"horizon_hours\":24}}\n" +
            "{\"id\":\"b\",\"venue\":\"hyperliquid\",\"symbol\":\"ETH\",\"side\":\"short\",\"entry\":3000,\"qty\":2,\"leverage\":10}\n");

        Assert.Equal(2, lines.Length);
        Assert.Equal(["id", "liquidation_price", "bankruptcy_price", "maintenance_margin", "initial_margin", "distance", "funding_cost", "p_hit", "error"],
            lines[0].EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("a", lines[0].GetProperty("id").GetString());
        Assert.Equal("b", lines[1].GetProperty("id").GetString());
        // Binance isolated, first bracket 0.4%/0: L = (1500 − 30000)/(0.5·0.004 − 0.5).
        Assert.Equal((1_500 - 30_000) / (0.5 * 0.004 - 0.5), lines[0].GetProperty("liquidation_price").GetDouble(), 6);
        Assert.Equal(57_000, lines[0].GetProperty("bankruptcy_price").GetDouble(), 6);
        Assert.Equal(1_500, lines[0].GetProperty("initial_margin").GetDouble(), 6);
        Assert.True(lines[0].GetProperty("distance").GetDouble() > 0);
        Assert.Equal(0.5 * 61_000 * 0.0001 * 3, lines[0].GetProperty("funding_cost").GetDouble(), 9);
        Assert.InRange(lines[0].GetProperty("p_hit").GetDouble(), 0.0, 1.0);
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("error").ValueKind);
        Assert.True(lines[1].GetProperty("liquidation_price").GetDouble() > 3_000);
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("distance").ValueKind); // no mark given
    }

    [Fact]
    public async Task A_position_that_cannot_be_liquidated_has_a_null_price_and_no_error()
    {
        var line = (await RunAsync("{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"side\":\"long\",\"entry\":60000,\"qty\":0.5,\"leverage\":1}"))[0];

        Assert.Equal(JsonValueKind.Null, line.GetProperty("liquidation_price").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("error").ValueKind);
    }

    public static TheoryData<string, string> BadLines => new()
    {
        { "{not json", "not valid JSON" },
        { "[1,2,3]", "not valid JSON" },
        { "null", "expected a JSON object" },
        { "{\"id\":\"x\"," + Btc.Replace("\"entry\":60000", "\"entry\":\"6O000\"", StringComparison.Ordinal) + "}", "entry: \"6O000\" is not valid here. Example: \"entry\": 60000" },
        { "{\"id\":\"x\"," + Btc.Replace("\"qty\":0.5", "\"qty\":-1", StringComparison.Ordinal) + "}", "qty: must be greater than 0 (got -1). Example: \"qty\": 0.5" },
        { "{\"id\":\"x\"," + Btc.Replace("\"leverage\":20", "\"leverage\":0", StringComparison.Ordinal) + "}", "leverage: must be greater than 0" },
        { "{\"id\":\"x\"," + Btc.Replace("\"entry\":60000", "\"entry\":1e308", StringComparison.Ordinal) + "}", "entry: must be at most 1e+09" },
        { "{\"id\":\"x\"," + Btc.Replace("\"entry\":60000", "\"entry\":NaN", StringComparison.Ordinal) + "}", "not valid JSON" },
        { "{\"id\":\"x\"," + Btc.Replace("\"entry\":60000", "\"entry\":\"NaN\"", StringComparison.Ordinal) + "}", "entry: must be a finite number (got NaN)" },
        { "{\"id\":\"x\"," + Btc.Replace("binance", "mtgox", StringComparison.Ordinal) + "}", "venue: unknown venue 'mtgox'" },
        { "{\"id\":\"x\"," + Btc.Replace("BTCUSDT", "DOGEUSDT", StringComparison.Ordinal) + "}", "symbol: no built-in binance linear tiers for DOGEUSDT" },
        { "{\"id\":\"x\"," + Btc + ",\"levrage\":5}", "levrage: unknown field" },
        { "{\"id\":\"x\"," + Btc + ",\"margin_mode\":\"cross\",\"wallet_balance\":5000,\"other_positions\":[{\"symbol\":\"ETHUSDT\",\"side\":\"long\",\"qty\":\"two\",\"entry\":3000,\"mark\":3000}]}", "other_positions[0].qty: \"two\" is not valid here. Example: \"other_positions[0].qty\": 2" },
        { "{\"id\":\"x\"," + Btc + ",\"side\":7}", "side: 7 is not valid here. Example: \"side\": \"long\"" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task A_bad_line_gets_an_error_naming_the_field_and_processing_continues(string bad, string expected)
    {
        var lines = await RunAsync($"{{\"id\":\"before\",{Btc}}}\n{bad}\n{{\"id\":\"after\",{Btc}}}\n");

        Assert.Equal(3, lines.Length);
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("error").ValueKind);
        var error = lines[1].GetProperty("error").GetString();
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("liquidation_price").ValueKind);
        Assert.Equal("after", lines[2].GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task The_id_of_a_line_that_fails_to_bind_is_still_echoed()
    {
        var line = (await RunAsync("{\"id\":\"keep-me\",\"venue\":\"binance\",\"entry\":\"abc\"}"))[0];

        Assert.Equal("keep-me", line.GetProperty("id").GetString());
        Assert.NotEqual(JsonValueKind.Null, line.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Numbers_sent_as_strings_are_accepted()
    {
        var line = (await RunAsync("{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"side\":\"long\",\"entry\":\"60000\",\"qty\":\"0.5\",\"leverage\":\"20\"}"))[0];

        Assert.Equal(JsonValueKind.Null, line.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Number, line.GetProperty("liquidation_price").ValueKind);
    }

    [Fact]
    public async Task Blank_lines_crlf_and_a_missing_final_newline_are_handled()
    {
        var lines = await RunAsync($"\r\n{{\"id\":\"1\",{Btc}}}\r\n   \n\n{{\"id\":\"2\",{Btc}}}");

        Assert.Equal(["1", "2"], lines.Select(l => l.GetProperty("id").GetString()!).ToArray());
    }

    [Fact]
    public async Task Many_lines_across_read_buffers_keep_their_order()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 20_000; i++) sb.Append(Invariant($"{{\"id\":\"{i}\",{Btc.Replace("0.5", (0.001 * (i + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)}}}\n"));

        var lines = await RunAsync(sb.ToString());

        Assert.Equal(20_000, lines.Length);
        for (var i = 0; i < lines.Length; i++) Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[i].GetProperty("id").GetString());
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("error").ValueKind));
    }

    [Fact]
    public async Task The_built_binary_reads_stdin_and_writes_stdout()
    {
        var r = await CliRunner.RunProcessAsync($"{{\"id\":\"p1\",{Btc}}}\n{{oops\n{{\"id\":\"p2\",{Btc}}}\n", "calc", "--jsonl");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3, r.Lines.Length);
        Assert.Contains("\"id\":\"p1\"", r.Lines[0], StringComparison.Ordinal);
        Assert.Contains("not valid JSON", r.Lines[1], StringComparison.Ordinal);
        Assert.Contains("\"id\":\"p2\"", r.Lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_binary_prints_a_card_and_fails_with_code_2_on_bad_input()
    {
        var ok = await CliRunner.RunProcessAsync("", "calc", "--venue", "hyperliquid", "--symbol", "SOL", "--side", "short", "--entry", "150", "--qty", "10", "--leverage", "5");
        var bad = await CliRunner.RunProcessAsync("", "calc", "--venue", "hyperliquid", "--symbol", "SOL", "--side", "short", "--entry", "150", "--qty", "abc", "--leverage", "5");

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("hyperliquid SOL · linear · isolated · SHORT 10 @", ok.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: --qty: 'abc' is not a number. Example: --qty 0.5", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_gets_each_answer_before_it_sends_the_next_line()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(CliRunner.BotOutput, "perpguard.dll"));
        info.ArgumentList.Add("calc");
        info.ArgumentList.Add("--jsonl");
        using var process = System.Diagnostics.Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        await process.StandardInput.WriteLineAsync($"{{\"id\":\"q1\",{Btc}}}");
        await process.StandardInput.FlushAsync();
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        await process.StandardInput.WriteLineAsync($"{{\"id\":\"q2\",{Btc}}}");
        await process.StandardInput.FlushAsync();
        var second = await process.StandardOutput.ReadLineAsync(timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);

        Assert.Contains("\"id\":\"q1\"", first, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"q2\"", second, StringComparison.Ordinal);
        Assert.Equal(0, process.ExitCode);
    }

    private static string Invariant(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
