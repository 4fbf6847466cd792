using PerpGuard.Bot.Tests.Cli;

namespace PerpGuard.Bot.Tests.Channels;

/// <summary>
/// The console channel through the real executable: a scripted session on piped stdin, in a fresh working directory
/// (so the default <c>data/perpguard.db</c> is created there), then a second process that finds the data again.
/// </summary>
public sealed class ConsoleSessionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "perpguard-tests", Guid.NewGuid().ToString("N"));

    public ConsoleSessionTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task ScriptedSession_ProcessesEveryLineInOrder_AndTheDataSurvivesARestart()
    {
        const string session = """
            # a scripted PerpGuard session
            /start
            /add binance BTCUSDT long 0.5 @ 60000 x20 label core
            /add bybit ethusdt short 3 @ 3,150 x10
            /positions
            /risk 1
            /edit 2 qty 4
            /add BTC lng 0.5 @ 6O000
            /remove 1
            /positions
            """;
        var first = await CliRunner.RunProcessInAsync(_directory, session, "--console");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.DoesNotMatch("(warn|fail|crit):", first.Stderr); // the only log line is the migration notice
        Assert.True(File.Exists(Path.Combine(_directory, "data", "perpguard.db")));

        var replies = first.Stdout.Split("\n> ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, replies.Length); // one per command, in order; the comment line is skipped
        Assert.StartsWith("> /start\nWelcome to PerpGuard", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("/add binance BTCUSDT long 0.5 @ 60000 x20 label core\n✔ Added #1.", replies[1], StringComparison.Ordinal);
        Assert.Contains("#1 binance BTCUSDT · linear · isolated · LONG 0.5 @ 60,000.0 · 20x · “core”", replies[1], StringComparison.Ordinal);
        Assert.StartsWith("/add bybit ethusdt short 3 @ 3,150 x10\n✔ Added #2.", replies[2], StringComparison.Ordinal);
        Assert.Contains("Your 2 positions", replies[3], StringComparison.Ordinal);
        Assert.Contains("Risk card\n#1 binance BTCUSDT", replies[4], StringComparison.Ordinal);
        Assert.Contains("Bankruptcy", replies[4], StringComparison.Ordinal);
        Assert.Contains("✔ Updated #2: qty.", replies[5], StringComparison.Ordinal);
        Assert.Contains("SHORT 4 @ 3,150", replies[5], StringComparison.Ordinal);
        Assert.Contains("✖ side: 'lng' is not a side; use long or short.", replies[6], StringComparison.Ordinal);
        Assert.Contains("✔ Removed #1 binance BTCUSDT LONG 0.5 @ 60000.", replies[7], StringComparison.Ordinal);
        Assert.Contains("/add binance BTCUSDT long 0.5 @ 60000 x20 label core", replies[7], StringComparison.Ordinal);
        Assert.Contains("Your position\n#2 bybit ETHUSDT", replies[8], StringComparison.Ordinal);

        var second = await CliRunner.RunProcessInAsync(_directory, "/positions\n", "--console");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("Your position\n#2 bybit ETHUSDT · linear · isolated · SHORT 4 @ 3,150", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("#1", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoArguments_RunsTheConsole_WhenNoChatTokenIsConfigured()
    {
        var result = await CliRunner.RunProcessInAsync(_directory, "/status\n");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("PerpGuard status", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_CreatesTheDatabase_ThenReportsUpToDate()
    {
        var first = await CliRunner.RunProcessInAsync(_directory, "", "migrate");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal("data/perpguard.db: applied 6 migrations: 20261121090000_Initial, 20261121100000_AlertSettings, 20261121120000_MarketData, 20261121140000_Rules, 20261121160000_Alerts, 20261122020000_ProcessedUpdates.\n", first.Stdout);
        var second = await CliRunner.RunProcessInAsync(_directory, "", "migrate");
        Assert.Equal("data/perpguard.db: up to date.\n", second.Stdout);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
