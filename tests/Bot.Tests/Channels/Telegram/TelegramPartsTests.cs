using Microsoft.Extensions.Options;
using PerpGuard.Bot.Channels.Telegram;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>The channel's pure parts: HTML rendering and splitting, the keyboard, the rate limiter's slots, option checks.</summary>
public sealed class TelegramPartsTests
{
    [Fact]
    public void Render_EscapesEverything_BoldsHeadlineAndLabels_AndKeepsLaddersInPre()
    {
        var reply = new Reply
        {
            Tone = ReplyTone.Success,
            Headline = "Added #3 <tag> & co",
            Sections =
            [
                new ReplySection("Card \"x\"", [new ReplyLine("Label", "a < b > c & d"), new ReplyLine(null, "plain")]),
                new ReplySection(null, [new ReplyLine("120,000", "███ ◀#3"), new ReplyLine("119,500", "█")]) { Monospace = true },
            ],
        };
        var html = Assert.Single(TelegramHtml.Render(reply));
        Assert.Equal(
            "<b>✔ Added #3 &lt;tag&gt; &amp; co</b>\n<b>Card &quot;x&quot;</b>\n<b>Label</b>  a &lt; b &gt; c &amp; d\nplain\n<pre>120,000 ███ ◀#3\n119,500 █</pre>",
            html);
        Assert.Equal("✔ Added #3 <tag> & co\nCard \"x\"\nLabel  a < b > c & d\nplain\n120,000 ███ ◀#3\n119,500 █", TelegramHtml.ToPlain(html));
        Assert.Equal(FakeTelegram.VisibleText(html), TelegramHtml.ToPlain(html));
    }

    [Fact]
    public void Render_CutsALineLongerThanAMessage_WithoutSplittingAnEmoji()
    {
        var text = string.Concat(Enumerable.Repeat("ab🔴", 3000)); // 12,000 UTF-16 units
        var parts = TelegramHtml.Render(Reply.Text(ReplyTone.Info, text));
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.InRange(FakeTelegram.VisibleText(p).Length, 1, TelegramHtml.MaxLength));
        var rejoined = string.Concat(parts.Select(p => FakeTelegram.VisibleText(p)[(p.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
        Assert.Equal(text, rejoined);
        Assert.DoesNotContain(parts, p => char.IsHighSurrogate(FakeTelegram.VisibleText(p)[^1]));
    }

    [Fact]
    public void Keyboard_TwoRowsOfTwoForFour_RefreshPrefixed_AndDropsCommandsOver64Bytes()
    {
        var keyboard = TelegramHtml.Keyboard(
        [
            new ReplyButton("Snooze 1h", "/snooze 17 1h"), new ReplyButton("Snooze 24h", "/snooze 17 24h"),
            new ReplyButton("Mute BTC", "/mute BTC 24h"), new ReplyButton("↻ Refresh", "/risk 3") { Refresh = true },
        ])!;
        Assert.Equal([2, 2], keyboard.InlineKeyboard.Select(r => r.Count));
        Assert.Equal("r:/risk 3", keyboard.InlineKeyboard[1][1].CallbackData);

        var tooLong = TelegramHtml.Keyboard([new ReplyButton("Long", "/risk " + new string('x', 60)), new ReplyButton("Ok", "/alerts")])!;
        Assert.Equal("/alerts", Assert.Single(Assert.Single(tooLong.InlineKeyboard)).CallbackData);
        Assert.Null(TelegramHtml.Keyboard([]));
    }

    [Fact]
    public void RateLimiter_SpacesOneChat_GroupsMore_AllChatsGlobally_AndHonoursA429Pause()
    {
        var clock = new ManualClock();
        var limiter = new TelegramRateLimiter(new TelegramOptions { PerChatInterval = TimeSpan.FromSeconds(1), PerGroupInterval = TimeSpan.FromSeconds(3), GlobalPerSecond = 20 }, clock);
        var max = TimeSpan.FromMinutes(1);

        Assert.Equal((true, TimeSpan.Zero), limiter.Reserve(1, max));
        Assert.Equal((true, TimeSpan.FromSeconds(1)), limiter.Reserve(1, max));        // same chat: one a second
        Assert.Equal((true, TimeSpan.FromMilliseconds(50)), limiter.Reserve(2, max));   // another chat: the next 1/20 s slot, not chat 1's second
        Assert.Equal((true, TimeSpan.FromMilliseconds(100)), limiter.Reserve(-5, max));
        Assert.Equal((true, TimeSpan.FromMilliseconds(3100)), limiter.Reserve(-5, max)); // a group: one per 3 s

        // Too far away: nothing reserved, the wait reported.
        Assert.Equal((false, TimeSpan.FromSeconds(2)), limiter.Reserve(1, TimeSpan.FromSeconds(1)));
        Assert.Equal((true, TimeSpan.FromSeconds(2)), limiter.Reserve(1, max));

        clock.Advance(TimeSpan.FromSeconds(10));
        limiter.Pause(7, TimeSpan.FromSeconds(42));
        Assert.Equal((false, TimeSpan.FromSeconds(42)), limiter.Reserve(7, TimeSpan.FromSeconds(5)));
        Assert.Equal((true, TimeSpan.Zero), limiter.Reserve(8, max));
        limiter.Pause(null, TimeSpan.FromSeconds(30));
        Assert.Equal((false, TimeSpan.FromSeconds(30)), limiter.Reserve(9, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("not-a-token", "Telegram:Token does not look like a BotFather token")]
    [InlineData("123:abc def", "Telegram:Token does not look like a BotFather token")]
    public void Validator_NamesABadTokenWithoutEchoingIt(string token, string expected)
    {
        var result = new TelegramOptionsValidator().Validate(null, new TelegramOptions { Token = token });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_WebhookMode_NeedsAnHttpsUrlAndAStrongSecret_AndNoTokenMeansNoChecks()
    {
        var webhook = new TelegramOptions { Token = FakeTelegram.Token, Mode = TelegramMode.Webhook, WebhookUrl = "http://bot.example.com/tg", WebhookSecret = "short" };
        var result = new TelegramOptionsValidator().Validate(null, webhook);
        Assert.Equal(
            ["Telegram:WebhookUrl must be the public https:// URL Telegram posts to (webhook mode)",
             "Telegram:WebhookSecret must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (webhook mode)"],
            result.Failures);
        Assert.Equal(ValidateOptionsResult.Success, new TelegramOptionsValidator().Validate(null, new TelegramOptions { Mode = TelegramMode.Webhook }));
        Assert.Equal(ValidateOptionsResult.Success, new TelegramOptionsValidator().Validate(null, new TelegramOptions { Token = FakeTelegram.Token }));
    }

    [Fact]
    public void MenuCommands_AreTheCatalogsNames_WithinTelegramsRules()
    {
        var menu = TelegramChannel.MenuCommands();
        Assert.Equal(PerpGuard.Bot.Commands.CommandCatalog.All.Count, menu.Count);
        Assert.All(menu, c =>
        {
            Assert.Matches("^[a-z0-9_]{1,32}$", c.Command);
            Assert.InRange(c.Description.Length, 1, 256);
        });
    }
}
