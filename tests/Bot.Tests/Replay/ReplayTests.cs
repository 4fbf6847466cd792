using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Cli;
using PerpGuard.Bot.Tests.Fakes;
using PerpGuard.Bot.Tests.Market;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Tests.Replay;

public sealed class ReplayTests : IDisposable
{
    private readonly string _directory = TestDirectory.NewPath();

    public ReplayTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Playing_the_shipped_scenario_stores_exactly_the_series_in_the_file()
    {
        var scenario = ReplayScenario.Load("oct10-flush");
        var clock = new ReplayClock(scenario.Header.PlayFrom, 60);
        await using var market = await MarketHarness.StartAsync(clock, settings: new Dictionary<string, string?> { ["Market:StoreEvery"] = "00:00:00" });
        var source = new ReplaySource(scenario, clock, market.Get<MarketIngest>(), market.Get<MarketState>(),
            market.Get<IServiceScopeFactory>(), market.Get<ILogger<ReplaySource>>());

        await source.PlayAllAsync(CancellationToken.None);

        // Every line of the file, as the database now holds it (no line rejected, none dropped, none added).
        var file = File.ReadAllLines(ScenarioPath).Skip(1).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string Key(JsonElement e) => $"{e.GetProperty("venue").GetString()}|{e.GetProperty("symbol").GetString()}|{Ms(e.GetProperty("t").GetString()!)}";
        var tickers = await market.QueryAsync(db => db.Tickers.ToListAsync());
        Assert.Equal(
            file.Where(e => Type(e) == "ticker").Select(e => $"{Key(e)}|{e.GetProperty("mark").GetDouble()}|{e.GetProperty("funding").GetDouble()}").Order(),
            tickers.Select(t => $"{t.Venue.ToString().ToLowerInvariant()}|{t.Symbol}|{t.Time.ToUnixTimeMilliseconds()}|{t.Mark}|{t.FundingRate}").Order());
        var oi = await market.QueryAsync(db => db.OpenInterest.ToListAsync());
        Assert.Equal(
            file.Where(e => Type(e) == "oi").Select(e => $"{Key(e)}|{e.GetProperty("coins").GetDouble()}|{e.GetProperty("usd").GetDouble()}").Order(),
            oi.Select(t => $"{t.Venue.ToString().ToLowerInvariant()}|{t.Symbol}|{t.Time.ToUnixTimeMilliseconds()}|{t.Coins}|{t.Usd}").Order());
        var bars = await market.QueryAsync(db => db.Bars.ToListAsync());
        Assert.Equal(
            file.Where(e => Type(e) == "bar").Select(e => $"{e.GetProperty("market").GetString()}|{e.GetProperty("symbol").GetString()}|{Ms(e.GetProperty("open").GetString()!)}|{e.GetProperty("l").GetDouble()}|{e.GetProperty("c").GetDouble()}|{e.GetProperty("v").GetDouble()}").Order(),
            bars.Select(b => $"{b.Market.ToString().ToLowerInvariant()}|{b.Symbol}|{b.OpenTime.ToUnixTimeMilliseconds()}|{b.Low}|{b.Close}|{b.Volume}").Order());
        var books = await market.QueryAsync(db => db.Books.ToListAsync());
        Assert.Equal(
            file.Where(e => Type(e) == "book").Select(e => $"{Key(e)}|{e.GetProperty("bidUsd")[1].GetDouble()}").Order(),
            books.Select(b => $"{b.Venue.ToString().ToLowerInvariant()}|{b.Symbol}|{b.Time.ToUnixTimeMilliseconds()}|{b.Bid1}").Order());
        Assert.Equal(file.Count(e => Type(e) == "spot"), await market.QueryAsync(db => db.SpotTickers.CountAsync()));
        Assert.Empty(market.Logs.Lines(LogLevel.Warning));

        // The clock stopped at the end of the tape: the last values are current, not stale.
        Assert.Equal(scenario.Header.End, clock.GetUtcNow());
        Assert.NotNull(market.Get<MarketState>().FreshMark(Core.Venues.Venue.Binance, "BTCUSDT"));
    }

    [Fact]
    public async Task The_readme_command_answers_stress_and_portfolio_on_the_demo_book_in_the_console()
    {
        var result = await CliRunner.RunProcessInAsync(_directory, "/stress\n/portfolio\n", "--replay", "oct10-flush", "--speed", "60");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("> /stress\nStress: BTC −10% · ", result.Stdout, StringComparison.Ordinal);
        // The replay plays on while the commands run: prices are a moment into the tape, so only the outcome is fixed.
        Assert.Contains(result.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"ETHUSDT LONG → [\d,.]+ · LIQUIDATED \(1st\)"));
        Assert.Contains("> /portfolio\nPortfolio: 3 positions on 2 venue accounts", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(result.Lines, l => l.TrimStart().StartsWith("Hit chance   24 h, 20,000 paths", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bot_on_a_replay_answers_status_with_fresh_data_from_it_in_its_own_database()
    {
        var result = await CliRunner.RunProcessInAsync(_directory, "/status\n", "--replay", "oct10-flush", "--speed", "60");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(@"Market +replay oct10-flush, scenario time 2025-10-1[01] \d\d:\d\d UTC", result.Stdout);
        var btc = result.Lines.Single(l => l.TrimStart().StartsWith("binance BTCUSDT", StringComparison.Ordinal));
        Assert.Matches(@"prices \d+ s ago · spot \d+ s ago · OI \d+ s ago · book \d+ s ago · bars \d+ s ago$", btc);
        Assert.DoesNotContain("STALE", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(result.Lines, l => l.TrimStart().StartsWith("hyperliquid BTC prices", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_directory, "data", "replay.db")));
        Assert.False(File.Exists(Path.Combine(_directory, "data", "perpguard.db")));
        Assert.Contains("Replaying oct10-flush at 60x", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-scenario", "error: 'no-such-scenario' is neither a built-in scenario (oct10-flush) nor a file.")]
    public async Task An_unknown_scenario_is_named_with_the_ones_that_exist(string name, string expected)
    {
        var result = await CliRunner.RunAsync("--replay", name);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.Stderr.Trim());
    }

    [Fact]
    public async Task A_bad_scenario_line_is_reported_with_its_number_and_problem()
    {
        var file = Path.Combine(_directory, "bad.jsonl");
        await File.WriteAllLinesAsync(file, [
            """{"type":"header","name":"bad","start":"2025-01-01T00:00:00Z","playFrom":"2025-01-01T00:00:00Z","end":"2025-01-01T00:01:00Z"}""",
            """{"type":"ticker","t":"2025-01-01T00:00:00Z","venue":"binance","symbol":"BTCUSDT","mark":97000}""",
            """{"type":"ticker","t":"2025-01-01T00:01:00Z","venue":"binance","symbol":"BTCUSDT"}""",
        ]);
        var result = await CliRunner.RunAsync("--replay", file);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: bad.jsonl line 3: 'mark' is missing", result.Stderr.Trim());

        var speed = await CliRunner.RunAsync("--replay", "oct10-flush", "--speed", "0");
        Assert.Equal(2, speed.ExitCode);
        Assert.StartsWith("error: --speed must be a positive number", speed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Market_prints_the_end_of_a_replay_with_ages_as_text_and_as_json()
    {
        var text = await CliRunner.RunAsync("market", "btc", "--replay", "oct10-flush");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Equal("binance BTCUSDT  (replay oct10-flush, as of 2025-10-11 01:00 UTC)", text.Lines[0]);
        Assert.Matches(@"^Mark      1\d\d,\d{3}\.\d+  index .* \[0 s ago\]$", text.Lines[1]);
        Assert.Matches(@"^Funding   -0\.\d{4}% per 8 h", text.Lines[2]);

        var json = await CliRunner.RunAsync("market", "BTC", "--venue", "hyperliquid", "--replay", "oct10-flush", "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var root = doc.RootElement;
        Assert.Equal("hyperliquid", root.GetProperty("venue").GetString());
        Assert.Equal(1, root.GetProperty("funding_interval_hours").GetDouble());
        Assert.True(root.GetProperty("mark").GetDouble() > 90_000);
        Assert.False(root.GetProperty("feeds").GetProperty("prices").GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("spot_price").ValueKind);
    }

    private static string ScenarioPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PerpGuard.slnx"))) return Path.Combine(dir.FullName, "src", "Bot", "Replay", "Scenarios", "oct10-flush.jsonl");
            throw new InvalidOperationException("repository root not found");
        }
    }

    private static string? Type(JsonElement e) => e.GetProperty("type").GetString();
    private static long Ms(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    public void Dispose()
    {
        TestDirectory.Delete(_directory);
    }
}
