using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Channels.Discord;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Discord;

/// <summary>The Discord channel's pure parts: slash commands from the catalog, composing options back to text, embeds within limits, buckets.</summary>
public sealed class DiscordPartsTests
{
    [Fact]
    public void SlashCommands_AreTheCatalog_WithTypedOptions_RequiredFirst_ChoicesAndSymbolAutocomplete()
    {
        var commands = DiscordChannel.SlashCommands();
        Assert.Equal(CommandCatalog.All.Select(c => c.Name), commands.Select(c => c.Name));
        Assert.All(commands, c =>
        {
            Assert.Matches("^[a-z0-9_-]{1,32}$", c.Name);
            Assert.InRange(c.Description.Length, 1, 100);
            Assert.True(c.Options.Count <= 25);
            Assert.Equal(c.Options.OrderByDescending(o => o.Required == true).Select(o => o.Name), c.Options.Select(o => o.Name));
            Assert.All(c.Options, o => Assert.False(o.Autocomplete == true && o.Choices is not null));
        });
        var add = commands.Single(c => c.Name == "add");
        Assert.Equal(["symbol", "side", "qty", "entry", "leverage", "venue", "mode", "margin", "wallet", "mmr", "label"], add.Options.Select(o => o.Name));
        Assert.Equal(["binance", "bybit", "hyperliquid", "okx"], add.Options.Single(o => o.Name == "venue").Choices!.Select(c => c.Value));
        Assert.Equal(["long", "short"], add.Options.Single(o => o.Name == "side").Choices!.Select(c => c.Value));
        Assert.True(add.Options.Single(o => o.Name == "symbol").Autocomplete);
        Assert.Equal(10, add.Options.Single(o => o.Name == "qty").Type);
        Assert.Equal(4, commands.Single(c => c.Name == "remove").Options.Single().Type);
    }

    [Theory]
    [InlineData("add", "venue=binance symbol=BTCUSDT side=long qty=0.5 entry=60000 leverage=20", "/add binance BTCUSDT long 0.5 @ 60000 x20")]
    [InlineData("add", "symbol=ETH side=short qty=3 entry=3150 leverage=10 mode=cross wallet=20000 label=swing", "/add ETH short 3 @ 3150 x10 cross wallet 20000 label swing")]
    [InlineData("liq", "symbol=ETH side=short qty=3 entry=3150 leverage=10 mark=3100", "/liq ETH short 3 @ 3150 x10 mark 3100")]
    [InlineData("snooze", "alert=17 duration=1h", "/snooze 17 1h")]
    [InlineData("mute", "symbol=BTC duration=24h", "/mute BTC 24h")]
    [InlineData("mute", "duration=2h", "/mute 2h")]
    [InlineData("settings", "name=quiet_hours value=23:00-07:00", "/settings quiet_hours 23:00-07:00")]
    [InlineData("rule", "action=add details=support BTC 100000", "/rule add support BTC 100000")]
    [InlineData("positions", "", "/positions")]
    public void Compose_PutsOptionsBackInTheTextForm(string command, string options, string expected)
    {
        Assert.True(CommandCatalog.TryFind(command, out var spec));
        var values = options.Length == 0 ? [] : options.Split(' ').Aggregate(new List<(string K, string V)>(), (list, token) =>
        {
            if (token.Contains('=', StringComparison.Ordinal)) list.Add((token.Split('=')[0], token.Split('=')[1]));
            else list[^1] = (list[^1].K, list[^1].V + " " + token);
            return list;
        }).ToDictionary(x => x.K, x => x.V);
        Assert.Equal(expected, CommandCatalog.Compose(spec, values));
    }

    [Fact]
    public void Render_AnAlert_IsOneColoredEmbed_WithEscapedText_AndButtonsInOneRow()
    {
        var reply = new Reply
        {
            Tone = ReplyTone.Warning,
            Headline = "🔴 CRITICAL · #1 binance BTCUSDT LONG “*demo*”: 2.8% from liquidation",
            Sections = [new ReplySection(null, [new ReplyLine("Price", "mark 109,382 · liquidation 106,300"), new ReplyLine(null, "# not a heading, @everyone")])],
            Buttons = [new ReplyButton("Snooze 1h", "/snooze 9 1h"), new ReplyButton("Mute BTC", "/mute BTC 24h")],
        };
        var message = Assert.Single(DiscordRender.Render(reply, ephemeral: false));
        var embed = Assert.Single(message.Embeds!);
        Assert.Equal("🔴 CRITICAL · #1 binance BTCUSDT LONG “*demo*”: 2.8% from liquidation", embed.Title);
        Assert.Equal(0xE74C3C, embed.Color);
        Assert.Equal("**Price**  mark 109,382 · liquidation 106,300\n\\# not a heading, @everyone", embed.Description);
        Assert.Empty(message.AllowedMentions!.Parse);
        Assert.Null(message.Flags);
        var row = Assert.Single(message.Components!);
        Assert.Equal(["/snooze 9 1h", "/mute BTC 24h"], row.Components!.Select(b => b.CustomId));
        Assert.Equal(DiscordRender.EphemeralFlag, DiscordRender.Render(reply, ephemeral: true)[0].Flags);
    }

    [Fact]
    public void Render_AReplyOverDiscordsLimits_SplitsIntoMessages_WithinEveryLimit_LosingNothing()
    {
        var sections = Enumerable.Range(1, 40).Select(s => new ReplySection($"Position #{s}",
            [.. Enumerable.Range(1, 8).Select(i => new ReplyLine($"Line {i}", $"value {s}.{i} with some words to fill the field"))])).ToList();
        sections.Add(new ReplySection(null, [.. Enumerable.Range(1, 150).Select(i => new ReplyLine($"{120_000 - i * 50,8}", new string('█', i % 30)))]) { Monospace = true });
        var reply = new Reply { Headline = "Your 40 positions", Sections = sections, Buttons = [new ReplyButton("↻ Refresh", "/positions") { Refresh = true }] };

        var messages = DiscordRender.Render(reply, ephemeral: true);
        Assert.True(messages.Count >= 3, $"{messages.Count} messages");
        foreach (var m in messages)
        {
            var e = Assert.Single(m.Embeds!);
            Assert.True((e.Title?.Length ?? 0) <= 256 && (e.Description?.Length ?? 0) <= 4096 && (e.Fields?.Count ?? 0) <= 25);
            Assert.All(e.Fields ?? [], f => Assert.True(f.Name.Length is >= 1 and <= 256 && f.Value.Length is >= 1 and <= 1024));
            Assert.True((e.Title?.Length ?? 0) + (e.Description?.Length ?? 0) + (e.Fields ?? []).Sum(f => f.Name.Length + f.Value.Length) <= 6000);
            Assert.Equal(DiscordRender.EphemeralFlag, m.Flags);
        }
        var text = string.Join('\n', messages.SelectMany(m => m.Embeds!).SelectMany(e => new[] { e.Description ?? "" }.Concat((e.Fields ?? []).Select(f => f.Name + "\n" + f.Value))));
        foreach (var s in Enumerable.Range(1, 40)) Assert.Contains($"value {s}.8 with some words", text, StringComparison.Ordinal);
        Assert.Contains("  119950 █\n", text, StringComparison.Ordinal);
        Assert.Contains("  112500 \n", text, StringComparison.Ordinal);
        Assert.All(messages.SkipLast(1), m => Assert.Null(m.Components));
        Assert.Equal("r:/positions", Assert.Single(Assert.Single(messages[^1].Components!).Components!).CustomId);
    }

    [Fact]
    public void Components_DropCustomIdsOver100_AndDuplicates_RowsOfFive()
    {
        var buttons = Enumerable.Range(1, 7).Select(i => new ReplyButton($"B{i}", $"/alerts {i}")).Append(new ReplyButton("Dup", "/alerts 1"))
            .Append(new ReplyButton("Long", "/risk " + new string('x', 100))).ToList();
        var rows = DiscordRender.Components(buttons)!;
        Assert.Equal([5, 2], rows.Select(r => r.Components!.Count));
        Assert.Null(DiscordRender.Components([]));
    }

    [Fact]
    public void RateLimiter_LearnsBucketsFromHeaders_PerTopLevelResource_AndHonoursAGlobal429()
    {
        var clock = new ManualClock();
        var limiter = new DiscordRateLimiter(clock);
        const string route = "POST /channels/{id}/messages";
        Assert.Equal(TimeSpan.Zero, limiter.Acquire(route, "1", exemptFromGlobal: false));
        limiter.Update(route, "1", Headers(("X-RateLimit-Bucket", "abc"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "2.5")));
        Assert.Equal(TimeSpan.FromSeconds(2.5), limiter.Acquire(route, "1", exemptFromGlobal: false));
        Assert.Equal(TimeSpan.Zero, limiter.Acquire(route, "2", exemptFromGlobal: false)); // another channel: its own bucket
        clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(TimeSpan.Zero, limiter.Acquire(route, "1", exemptFromGlobal: false));

        limiter.TooManyRequests(route, "3", TimeSpan.FromSeconds(4), global: true);
        Assert.Equal(TimeSpan.FromSeconds(4), limiter.Acquire("POST /users/@me/channels", "", exemptFromGlobal: false));
        Assert.Equal(TimeSpan.Zero, limiter.Acquire("POST /interactions/{id}/{token}/callback", "9", exemptFromGlobal: true));
    }

    [Fact]
    public void Validator_NeedsANumericApplicationId_AndABareToken_WithoutEchoingIt()
    {
        var result = new DiscordOptionsValidator().Validate(null, new DiscordOptions { Token = "Bot MTIz.SECRET", ApplicationId = "app" });
        Assert.Equal(
            ["Discord:Token must be the bare bot token (no 'Bot ' prefix, no spaces)",
             "Discord:ApplicationId must be the application's numeric id (Developer Portal → General Information), e.g. 700000000000000001"],
            result.Failures);
        Assert.Equal(ValidateOptionsResult.Success, new DiscordOptionsValidator().Validate(null, new DiscordOptions()));
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers) response.Headers.Add(name, value);
        return response.Headers;
    }
}
