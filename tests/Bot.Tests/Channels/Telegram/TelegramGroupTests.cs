using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>
/// Group chats and who may use the bot: account details go to the private chat with a hint in the group (unless the
/// group is allowed), harmless commands answer in the group, other bots' commands are left alone, and an allow-list
/// refuses everyone else with a clear answer.
/// </summary>
public sealed class TelegramGroupTests
{
    private const long Alice = TelegramHarness.Alice;
    private const long Bob = TelegramHarness.Bob;
    private const long Group = -100_555_000_111;
    private const long AllowedGroup = -100_555_000_222;

    [Fact]
    public async Task InAGroup_PositionsAnswerPrivately_WithAHint_HelpAnswersInTheGroup_AndOtherBotsCommandsAreIgnored()
    {
        await using var h = await TelegramHarness.StartAsync(new Dictionary<string, string?> { ["Telegram:AllowedGroups:0"] = AllowedGroup.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await h.SayAsync(Alice, "/add binance BTCUSDT long 0.5 @ 121000 x8");

        var privateBefore = h.LastMessageId(Alice);
        var hint = await h.SayAsync(Alice, "/positions", Group);
        Assert.Equal("Alice: I sent the answer to your private chat with me; account details stay out of groups.", FakeTelegram.VisibleText(hint.Text));
        var inPrivate = await h.Fake.WaitForSentAsync(Alice, s => s.MessageId > privateBefore);
        Assert.StartsWith("Your position", FakeTelegram.VisibleText(inPrivate.Text), StringComparison.Ordinal);
        Assert.DoesNotContain(h.Fake.SentTo(Group), s => s.Text.Contains("BTCUSDT", StringComparison.Ordinal));

        // A command for another bot is not ours; the next one for us (by name) is answered in the group.
        h.Fake.SendText(Alice, "/positions@SomeOtherBot", Group, "group");
        var help = await h.SayAsync(Alice, $"/help@{FakeTelegram.BotUsername}", Group);
        Assert.StartsWith("<b>PerpGuard commands", help.Text, StringComparison.Ordinal);
        Assert.Equal(2, h.Fake.SentTo(Group).Count);

        // An allowed group sees the card itself.
        var card = await h.SayAsync(Alice, "/positions", AllowedGroup);
        Assert.StartsWith("Your position", FakeTelegram.VisibleText(card.Text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InAGroup_AUserWhoNeverStartedTheBot_IsToldHowToOpenThePrivateChat()
    {
        await using var h = await TelegramHarness.StartAsync();
        h.Fake.Block(Bob); // Telegram: "bot can't initiate conversation with a user" (403) until Bob presses Start

        var hint = await h.SayAsync(Bob, "/alerts", Group);
        Assert.Equal($"⚠ Alice: I can only show account details in a private chat, and you have not started one yet. Open t.me/{FakeTelegram.BotUsername}, press Start, and send the command there.",
            FakeTelegram.VisibleText(hint.Text));
    }

    [Fact]
    public async Task WithAnAllowList_OthersAreRefusedClearly_AndNothingIsStoredForThem()
    {
        await using var h = await TelegramHarness.StartAsync(new Dictionary<string, string?> { ["Telegram:AllowedUsers:0"] = Alice.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var refused = await h.SayAsync(Bob, "/start");
        Assert.Equal($"✖ This PerpGuard bot is private, and your Telegram id {Bob} is not on its allow-list. Ask its operator to add it (Telegram:AllowedUsers).", FakeTelegram.VisibleText(refused.Text));
        Assert.Null(await h.UserAsync(Bob));

        var welcome = await h.SayAsync(Alice, "/start");
        Assert.StartsWith("<b>Welcome to PerpGuard", welcome.Text, StringComparison.Ordinal);
    }
}
