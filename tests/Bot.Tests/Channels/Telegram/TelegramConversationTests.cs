using PerpGuard.Bot.Channels.Telegram;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Alerts;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>
/// A trader talks to PerpGuard over the Bot API, through loopback HTTP to a fake Telegram that enforces the API's
/// rules (HTML entities, 4096 characters, 64-byte callback data, offsets): commands, buttons, refresh in place, alerts
/// pushed during a replay, and escaping of what users type.
/// </summary>
public sealed class TelegramConversationTests
{
    private const long Alice = TelegramHarness.Alice;
    private const string LongBtc = "/add binance BTCUSDT long 0.5 @ 121000 x8";

    [Fact]
    public async Task FullConversation_StartAddPositionsRiskRefreshButtonAndRemove()
    {
        await using var h = await TelegramHarness.StartAsync();

        var start = await h.SayAsync(Alice, "/start");
        Assert.Equal("HTML", start.ParseMode);
        Assert.StartsWith("<b>Welcome to PerpGuard, Alice.", start.Text, StringComparison.Ordinal);
        // At start: the token proven with getMe, the menu from the command catalog, an explicit update list.
        Assert.Single(h.Fake.CallsTo("getMe"));
        Assert.Equal(CommandCatalog.All.Select(c => c.Name), h.Fake.Commands.Select(c => c.Command));
        Assert.Equal(["message", "callback_query", "my_chat_member"], h.Fake.AllowedUpdates);

        var added = await h.SayAsync(Alice, LongBtc);
        var id = TelegramHarness.AddedId(added);
        Assert.Equal(1, await h.PositionCountAsync(Alice));

        var positions = await h.SayAsync(Alice, "/positions");
        Assert.Contains($"#{id} binance BTCUSDT", FakeTelegram.VisibleText(positions.Text), StringComparison.Ordinal);
        Assert.Equal([("↻ Refresh", "r:/positions")], TelegramHarness.Buttons(positions));

        var risk = await h.SayAsync(Alice, $"/risk {id}");
        Assert.StartsWith("Risk card", FakeTelegram.VisibleText(risk.Text), StringComparison.Ordinal);
        Assert.Equal([("↻ Refresh", $"r:/risk {id}")], TelegramHarness.Buttons(risk));

        // Refresh edits the same message in place, stamped, keeping its button; the spinner is answered.
        h.Fake.PressButton(Alice, risk.MessageId, $"r:/risk {id}");
        var edited = await h.Fake.WaitForSentAsync(Alice, s => s.Edited && s.MessageId == risk.MessageId);
        Assert.Matches(@"\nUpdated \d\d:\d\d:\d\d UTC$", FakeTelegram.VisibleText(edited.Text));
        Assert.Equal([("↻ Refresh", $"r:/risk {id}")], TelegramHarness.Buttons(edited));
        var answered = await h.Fake.WaitForCallAsync("answerCallbackQuery");
        Assert.Equal("Refreshed", answered.Body.GetProperty("text").GetString());

        // A refresh that changes nothing ("message is not modified") is fine: answered, nothing logged, no new message.
        h.Fake.FailNext("editMessageText", TelegramFault.BadRequest("Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"));
        var sentBefore = h.Fake.Sent.Count;
        h.Fake.PressButton(Alice, risk.MessageId, $"r:/risk {id}");
        await h.Fake.WaitForCallAsync("answerCallbackQuery", c => h.Fake.CallsTo("answerCallbackQuery").Count == 2);
        await h.Fake.WaitForCallAsync("editMessageText", c => h.Fake.CallsTo("editMessageText").Count == 2);
        Assert.Equal(sentBefore, h.Fake.Sent.Count);

        // /remove asks first; the button carries the confirming command, run as the presser.
        var ask = await h.SayAsync(Alice, $"/remove {id}");
        Assert.Equal([("Remove", $"/remove {id} confirm"), ("Keep", "/positions")], TelegramHarness.Buttons(ask));
        var before = h.LastMessageId(Alice);
        h.Fake.PressButton(Alice, ask.MessageId, $"/remove {id} confirm");
        var removed = await h.Fake.WaitForSentAsync(Alice, s => s.MessageId > before);
        Assert.StartsWith($"✔ Removed #{id}", FakeTelegram.VisibleText(removed.Text), StringComparison.Ordinal);
        Assert.Equal(0, await h.PositionCountAsync(Alice));
        var toast = await h.Fake.WaitForCallAsync("answerCallbackQuery", c => c.Body.GetProperty("text").GetString()!.StartsWith($"Removed #{id}", StringComparison.Ordinal));
        Assert.False(toast.Body.GetProperty("show_alert").GetBoolean());

        Assert.DoesNotContain(h.Logs.Lines(), l => l.Contains("editMessageText", StringComparison.Ordinal));
        // Every message went out as valid HTML (no plain-text fallback), and the token is nowhere in the logs.
        Assert.All(h.Fake.Sent, s => Assert.Equal("HTML", s.ParseMode));
        Assert.DoesNotContain(FakeTelegram.Token, h.AllLogText(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", h.AllLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertDuringReplay_ArrivesWithButtons_AndSnoozeActsThroughTheCallback()
    {
        await using var h = await TelegramHarness.StartAsync();
        var id = TelegramHarness.AddedId(await h.SayAsync(Alice, LongBtc));

        await h.StepAsync(AlertHarness.PlayFrom.AddMinutes(1));
        var alert = Assert.Single(h.Fake.SentTo(Alice), s => s.Text.Contains("WARNING", StringComparison.Ordinal));
        var visible = FakeTelegram.VisibleText(alert.Text);
        Assert.StartsWith($"🟡 WARNING · #{id} binance BTCUSDT LONG: 12.8% from liquidation", visible, StringComparison.Ordinal);
        var row = Assert.Single(await h.Alerts.AlertsAsync(), a => a.PositionId == id);
        Assert.Equal(AlertStatus.Sent, row.Status);
        Assert.Equal(
            [("Snooze 1h", $"/snooze {row.Id} 1h"), ("Snooze 24h", $"/snooze {row.Id} 24h"), ("Mute BTC", "/mute BTC 24h"), ("Show risk", $"/risk {id}")],
            TelegramHarness.Buttons(alert));

        var before = h.LastMessageId(Alice);
        h.Fake.PressButton(Alice, alert.MessageId, $"/snooze {row.Id} 1h");
        var reply = await h.Fake.WaitForSentAsync(Alice, s => s.MessageId > before);
        Assert.StartsWith($"✔ Snoozed until 20:01 UTC: 🟡 WARNING #{id}", FakeTelegram.VisibleText(reply.Text), StringComparison.Ordinal);
        var toast = await h.Fake.WaitForCallAsync("answerCallbackQuery");
        Assert.StartsWith("Snoozed until 20:01 UTC", toast.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserTypedHtml_IsShownLiterally_NeverInterpreted()
    {
        await using var h = await TelegramHarness.StartAsync();
        const string label = "<b>x</b>&<i>";
        await h.SayAsync(Alice, $"{LongBtc} label {label}");
        var positions = await h.SayAsync(Alice, "/positions");
        Assert.Contains(label, FakeTelegram.VisibleText(positions.Text), StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;&amp;&lt;i&gt;", positions.Text, StringComparison.Ordinal);
        Assert.All(h.Fake.Sent, s => Assert.Equal("HTML", s.ParseMode));
        Assert.DoesNotContain(h.Fake.CallsTo("sendMessage"), c => !c.Body.TryGetProperty("parse_mode", out _));
    }

    [Fact]
    public async Task AMessageOver4096Characters_IsSplitAtLines_IntoMarkedParts_ButtonsOnTheLast()
    {
        await using var h = await TelegramHarness.StartAsync(receive: false);
        var lines = Enumerable.Range(1, 300).Select(i => new Chat.ReplyLine($"line {i}", $"value <{i}> & more text to make it long")).ToList();
        var ladder = Enumerable.Range(1, 120).Select(i => new Chat.ReplyLine($"{120_000 - i * 50,8}", new string('█', i % 30))).ToList();
        var reply = new Chat.Reply
        {
            Headline = "A very long report",
            Sections = [new Chat.ReplySection("Lines", lines), new Chat.ReplySection("Ladder", ladder) { Monospace = true }],
            Buttons = [new Chat.ReplyButton("Alert history", "/alerts")],
        };

        await h.Channel.SendAsync(new Chat.ChatNotification(Alice.ToString(System.Globalization.CultureInfo.InvariantCulture), reply, "k1"), CancellationToken.None);

        var parts = h.Fake.SentTo(Alice);
        Assert.True(parts.Count >= 4, $"{parts.Count} parts");
        Assert.All(parts, p => Assert.InRange(FakeTelegram.VisibleText(p.Text).Length, 1, 4096));
        Assert.All(parts.Select((p, i) => (p, i)), x => Assert.StartsWith($"[{x.i + 1}/{parts.Count}] ", x.p.Text, StringComparison.Ordinal));
        // Nothing lost or reordered: every line appears once, in order, and the ladder keeps its fixed-width blocks.
        var all = string.Join('\n', parts.Select(p => FakeTelegram.VisibleText(p.Text)));
        var at = 0;
        foreach (var i in Enumerable.Range(1, 300))
        {
            var next = all.IndexOf($"line {i}  value <{i}> & more", at, StringComparison.Ordinal);
            Assert.True(next >= at, $"line {i} missing or out of order");
            at = next;
        }
        Assert.All(parts.Where(p => p.Text.Contains('█', StringComparison.Ordinal)), p => Assert.Contains("<pre>", p.Text, StringComparison.Ordinal));
        Assert.All(parts.SkipLast(1), p => Assert.Null(p.ReplyMarkupJson));
        Assert.Equal([("Alert history", "/alerts")], TelegramHarness.Buttons(parts[^1]));
    }
}
