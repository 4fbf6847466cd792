using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>
/// The getUpdates loop against a Bot API that misbehaves: it backs off through 5xx, malformed bodies, stalls and 429,
/// reclaims the bot from a webhook, stops loudly on a second poller, refuses commands sent while it was down, and a
/// restart neither loses an update nor runs a handled one again.
/// </summary>
public sealed class TelegramPollingTests
{
    private const long Alice = TelegramHarness.Alice;

    [Fact]
    public async Task ServerErrors_MalformedBodies_Stalls_AndRateLimits_AreRiddenOut_ThenTheCommandIsAnswered()
    {
        await using var h = await TelegramHarness.StartAsync(receive: false);
        h.Fake.FailNext("getUpdates", TelegramFault.ServerError());
        h.Fake.FailNext("getUpdates", TelegramFault.Malformed());
        h.Fake.FailNext("getUpdates", TelegramFault.Stall(TimeSpan.FromSeconds(30))); // abandoned after poll 1 s + request 2 s
        h.Fake.FailNext("getUpdates", TelegramFault.TooManyRequests(1));
        h.Fake.SendText(Alice, "/start");
        h.StartReceiving();

        var reply = await h.Fake.WaitForSentAsync(Alice, timeout: TimeSpan.FromSeconds(20));
        Assert.StartsWith("<b>Welcome to PerpGuard", reply.Text, StringComparison.Ordinal);
        Assert.True(h.Fake.CallsTo("getUpdates").Count >= 5);
        var warnings = h.Logs.Lines(Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains(warnings, l => l.StartsWith("Telegram: Telegram getUpdates: 502 unreadable answer (<html>", StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.StartsWith("Telegram: Telegram getUpdates: 200 unreadable answer ({\"ok\":tru)", StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.StartsWith("Telegram: Telegram getUpdates: 0 no answer within 3 s", StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.StartsWith("Telegram: Telegram getUpdates: 429 Too Many Requests: retry after 1; retrying in 00:00:01", StringComparison.Ordinal));
        Assert.DoesNotContain(FakeTelegram.Token, h.AllLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondPoller_409Conflict_StopsTheChannelWithAClearReason_AfterBackingOff()
    {
        await using var h = await TelegramHarness.StartAsync(receive: false);
        h.Fake.FailNext("getUpdates", TelegramFault.Conflict(), times: 10);
        h.StartReceiving();

        var fatal = await Assert.ThrowsAsync<ChatChannelFatalException>(() => h.Receiving!.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.StartsWith("Telegram keeps answering 409 Conflict (Conflict: terminated by other getUpdates request;", fatal.Message, StringComparison.Ordinal);
        Assert.Contains("another process is receiving updates for this bot token", fatal.Message, StringComparison.Ordinal);
        Assert.Equal(5, h.Fake.CallsTo("getUpdates").Count);
        Assert.Equal(4, h.Logs.Lines(Microsoft.Extensions.Logging.LogLevel.Error).Count(l => l.StartsWith("Telegram: 409 Conflict", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AWebhookLeftBehind_IsDeletedOnce_KeepingQueuedUpdates_AndPollingGoesOn()
    {
        await using var h = await TelegramHarness.StartAsync(receive: false);
        h.Fake.SetWebhookActive(true);
        h.Fake.SendText(Alice, "/help");
        h.StartReceiving();

        var reply = await h.Fake.WaitForSentAsync(Alice);
        Assert.StartsWith("<b>PerpGuard commands", reply.Text, StringComparison.Ordinal);
        var delete = Assert.Single(h.Fake.CallsTo("deleteWebhook"));
        Assert.False(delete.Body.GetProperty("drop_pending_updates").GetBoolean());
    }

    [Fact]
    public async Task ACommandSentWhileTheBotWasDown_IsNotRun_AndTheSenderIsTold()
    {
        await using var h = await TelegramHarness.StartAsync(receive: false);
        h.Fake.SendText(Alice, "/add binance BTCUSDT long 0.5 @ 121000 x8", date: DateTimeOffset.UtcNow.AddMinutes(-40));
        h.StartReceiving();

        var reply = FakeTelegram.VisibleText((await h.Fake.WaitForSentAsync(Alice)).Text);
        Assert.Matches(@"^⚠ Not run: /add binance BTCUSDT long 0\.5 @ 121000 x8 was sent at \d{4}-\d\d-\d\d \d\d:\d\d UTC, 40 min ago, while PerpGuard was offline\. Send it again if you still want it\.$", reply);
        Assert.Equal(0, await h.PositionCountAsync(Alice));
    }

    [Fact]
    public async Task HandledUpdateIds_OlderThanTwoDays_ArePruned_TheRecentOnesKept()
    {
        await using var h = await TelegramHarness.StartAsync(receive: false);
        await using (var scope = h.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
            db.ProcessedUpdates.Add(new ProcessedUpdate { Platform = "telegram", UpdateId = 1, HandledAt = DateTimeOffset.UtcNow.AddDays(-3) });
            db.ProcessedUpdates.Add(new ProcessedUpdate { Platform = "telegram", UpdateId = 2, HandledAt = DateTimeOffset.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        }
        h.StartReceiving();
        await h.Fake.WaitForCallAsync("getUpdates");
        await using (var scope = h.Services.CreateAsyncScope())
            Assert.Equal([2L], scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>().ProcessedUpdates.Select(p => p.UpdateId).ToList());
    }

    [Fact]
    public async Task Restart_AfterHandlingButBeforeTheNextPollConfirmed_NeitherLosesNorRepeatsAnUpdate()
    {
        await using var h = await TelegramHarness.StartAsync(receive: false);
        h.StartReceiving();
        await h.Fake.WaitForCallAsync("getUpdates");
        // The poll after the batch stalls, so Telegram never hears that the update was handled: it stays pending.
        h.Fake.FailNext("getUpdates", TelegramFault.Stall(TimeSpan.FromMinutes(1)));
        var add = h.Fake.SendText(Alice, "/add binance BTCUSDT long 0.5 @ 121000 x8");
        await h.Fake.WaitForSentAsync(Alice, s => s.Text.Contains("Added #", StringComparison.Ordinal));
        await h.Fake.WaitForCallAsync("getUpdates", c => c.Body.TryGetProperty("offset", out var o) && o.GetInt64() == add + 1);
        await h.StopReceivingAsync();
        Assert.Contains(add, h.Fake.Pending);

        // While down, another command arrives; then PerpGuard starts again.
        var positions = h.Fake.SendText(Alice, "/positions");
        h.StartReceiving();
        await h.Fake.WaitUntilConfirmedAsync(positions);
        var list = await h.Fake.WaitForSentAsync(Alice, s => s.Text.Contains("Your position", StringComparison.Ordinal));

        // The /add ran once (one position, one "Added" reply); the /positions sent while down was answered.
        Assert.Equal(1, await h.PositionCountAsync(Alice));
        Assert.Single(h.Fake.SentTo(Alice), s => s.Text.Contains("Added #", StringComparison.Ordinal));
        Assert.Single(h.Fake.SentTo(Alice), s => s.Text.Contains("Your position", StringComparison.Ordinal));
        Assert.True(h.Logs.Lines(Microsoft.Extensions.Logging.LogLevel.Debug).Contains($"Telegram update {add} was handled before a restart; confirming it without running it again"),
            string.Join("\n", h.Logs.Entries.Where(e => !e.Category.StartsWith("Microsoft", StringComparison.Ordinal)).Select(e => $"{e.Level} {e.Message} {e.Exception}")));
        Assert.True(h.Fake.Confirmed >= positions);
        Assert.NotNull(list);
    }
}
