using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Tests.Cli;

namespace PerpGuard.Bot.Tests.Commands;

public sealed class RiskCommandTests
{
    [Theory]
    [InlineData("/rule", "action: is missing; add, remove or presets.")]
    [InlineData("/rule frobnicate", "frobnicate: is not an action; use add, remove or presets.")]
    [InlineData("/rule add", "rule: is missing; R1 to R5, or support.")]
    [InlineData("/rule add R9 BTC", "R9: is not a rule; use R1 (OI rebuild), R2 (hot funding), R3 or support (level lost), R4 (basis), R5 (perp volume spike).")]
    [InlineData("/rule add support", "symbol: is missing.")]
    [InlineData("/rule add support BTC lots", "price: 'lots' is not a number.")]
    [InlineData("/rule add R1 BTC r=1.5", "r=1.5 is out of range: r must be from 0.5 to 0.99 (default 0.9), e.g. r=0.9.")]
    [InlineData("/rule add R2 BTC foo=1", "unknown parameter 'foo' for R2; valid: fHi, nFund, window, cooldown.")]
    [InlineData("/rule remove", "id: is missing; /rules lists yours.")]
    [InlineData("/rule remove x", "id: 'x' is not a rule id; /rules lists yours.")]
    [InlineData("/clusters", "symbol: is missing.")]
    [InlineData("/clusters binance BTC extra", "extra: is not expected; give a venue and a symbol only.")]
    [InlineData("/rules now", "/rules takes no arguments; /rule add, /rule remove and /rule presets change them.")]
    public async Task Bad_input_gets_an_answer_naming_the_problem_with_the_form_and_an_example(string text, string headline)
    {
        await using var bot = await BotHarness.StartAsync();
        var reply = await bot.SendAsync(text);
        Assert.Equal(ReplyTone.Error, reply.Tone);
        Assert.Equal(headline, reply.Headline);
        var lines = reply.Sections.Single().Lines;
        Assert.Equal("Form", lines[0].Label);
        Assert.Equal("Example", lines[1].Label);
        Assert.Empty(await bot.StoredPositionsAsync());
    }

    [Fact]
    public async Task Rules_are_added_listed_and_removed_per_user_and_another_users_id_finds_nothing()
    {
        await using var bot = await BotHarness.StartAsync();
        var added = await bot.SendAsync("/rule add support BTC 100,000");
        Assert.Equal("Rule #1 in force: R3 support lost below 100,000 (sBuf 0.25%) on binance BTCUSDT.", added.Headline);
        Assert.Equal("Rule #2 in force: R1 OI rebuild: OI back to 85% of pre-flush while price stays 0.5% under the pre-flush high (flush: OI -10%, price -5% in 24 h; watch 168 h) on bybit BTCUSDT.",
            (await bot.SendAsync("/rule add R1 bybit BTC r=0.85")).Headline);

        // No market data: the rules are listed with the reason they cannot be decided, nothing fires.
        var rules = await bot.TextAsync("/rules");
        Assert.StartsWith("2 rules in force\n", rules, StringComparison.Ordinal);
        Assert.Contains("#1 R3 binance BTCUSDT", rules, StringComparison.Ordinal);
        Assert.Contains("#2 R1 bybit BTCUSDT", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("FIRED", rules, StringComparison.Ordinal);

        Assert.Equal("No rule #1. Send /rules to see yours.", (await bot.SendAsync("/rule remove 1", user: "mallory")).Headline);
        Assert.Equal("No rules in force.", (await bot.SendAsync("/rules", user: "mallory")).Headline);
        Assert.Equal("Removed rule #1 (R3 on binance BTCUSDT).", (await bot.SendAsync("/rule remove #1")).Headline);
        Assert.StartsWith("1 rule in force", (await bot.SendAsync("/rules")).Headline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Presets_add_the_five_rules_once_for_every_held_symbol()
    {
        await using var bot = await BotHarness.StartAsync();
        Assert.Equal("You hold no positions; name a symbol, e.g. /rule presets BTC.", (await bot.SendAsync("/rule presets")).Headline);
        await bot.SendAsync("/add binance BTCUSDT long 0.5 @ 60000 x20");
        await bot.SendAsync("/add binance BTC short 0.1 @ 65000 x10");
        var first = await bot.SendAsync("/rule presets");
        Assert.Equal("Added 5 preset rules (R3 follows the latest 7-day swing low).", first.Headline);
        Assert.Equal("Every preset rule is already in force. /rules shows them.", (await bot.SendAsync("/rule presets binance BTCUSDT")).Headline);
        var rules = await bot.TextAsync("/rules");
        Assert.True(rules.Contains("no automatic support level", StringComparison.Ordinal), rules);
    }

    [Fact]
    public async Task Clusters_without_market_data_say_why_instead_of_drawing_an_empty_ladder()
    {
        await using var bot = await BotHarness.StartAsync();
        var reply = await bot.SendAsync("/clusters ETH");
        Assert.Equal(ReplyTone.Warning, reply.Tone);
        Assert.Equal("binance ETHUSDT liquidation clusters (estimate)", reply.Headline);
        Assert.Equal("n/a: no mark price for this symbol yet; see /status", reply.Sections.Single().Lines.Single().Text);
    }

    [Theory]
    [InlineData(0.0, "$0")]
    [InlineData(950.0, "$950")]
    [InlineData(950_000.0, "$950k")]
    [InlineData(4_200_000.0, "$4.2M")]
    [InlineData(42_000_000.0, "$42M")]
    [InlineData(1_500_000_000.0, "$1.5B")]
    [InlineData(-504_800_000.0, "−$505M")]
    public void Usd_amounts_are_short_and_signed_before_the_dollar(double usd, string expected) => Assert.Equal(expected, RiskText.Usd(usd));

    [Fact]
    public async Task The_console_on_the_replay_answers_risk_clusters_and_rules_within_40_columns()
    {
        var dir = Fakes.TestDirectory.NewPath();
        Directory.CreateDirectory(dir);
        try
        {
            var result = await CliRunner.RunProcessInAsync(dir, "/add binance BTCUSDT long 1 @ 121000 x20\n/clusters BTC\n/risk 1\n/rule presets BTC\n/rules\n",
                "--replay", "oct10-flush", "--speed", "60");
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.DoesNotContain("failed on our side", result.Stdout, StringComparison.Ordinal);
            var ladder = result.Lines.SkipWhile(l => !l.StartsWith("binance BTCUSDT liquidation clusters", StringComparison.Ordinal)).Skip(1)
                .TakeWhile(l => !l.TrimStart().StartsWith("Mark", StringComparison.Ordinal)).ToList();
            Assert.Equal(19, ladder.Count);
            Assert.All(ladder, l => Assert.True(l.Length <= 40, $"{l.Length}: {l}"));
            Assert.Contains(ladder, l => l.Contains("── mark ──", StringComparison.Ordinal));
            Assert.Contains(ladder, l => l.Contains("◀#1", StringComparison.Ordinal));
            Assert.Contains(result.Lines, l => l.TrimStart().StartsWith("Cascade ", StringComparison.Ordinal) && l.Contains("downside", StringComparison.Ordinal));
            Assert.Contains("5 rules in force", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Fakes.TestDirectory.Delete(dir);
        }
    }
}
