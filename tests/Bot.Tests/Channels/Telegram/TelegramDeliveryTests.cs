using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Bot.Channels.Telegram;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Alerts;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>
/// Push alerts against Telegram's errors, through the real dispatcher: 429 honours retry_after, 5xx backs off, 403
/// stops the user's delivery (shown in /status, resumed by /start), a blocked bot reported by my_chat_member stops it
/// before anything fails, and a 400 fails that one message, logged with the method and never with the token.
/// </summary>
public sealed class TelegramDeliveryTests
{
    private const long Alice = TelegramHarness.Alice;
    private const string LongBtc = "/add binance BTCUSDT long 0.5 @ 121000 x8";
    private static readonly DateTimeOffset T0 = AlertHarness.PlayFrom.AddMinutes(1);

    [Fact]
    public async Task TooManyRequests_ShortRetryAfter_TheNextAttemptWaitsItOut_InRealTime_ThenDeliversOnce()
    {
        await using var h = await TelegramHarness.StartAsync();
        await h.SayAsync(Alice, LongBtc);
        h.Fake.FailNext("sendMessage", TelegramFault.TooManyRequests(2));

        await h.StepAsync(T0);
        var row = await AlertRowAsync(h);
        Assert.Equal((AlertStatus.Pending, 1, T0.AddSeconds(2)), (row.Status, row.Attempts, row.NextAttemptAt));
        Assert.Equal("Telegram rate limit: Too Many Requests: retry after 2", row.LastError);

        // The replay's clock is at the retry time at once, but Telegram's two seconds are real ones: the channel holds
        // the chat until they have passed, then sends.
        await h.StepAsync(T0.AddSeconds(2));
        row = await AlertRowAsync(h);
        Assert.Equal((AlertStatus.Sent, 2), (row.Status, row.Attempts));
        var calls = h.Fake.CallsTo("sendMessage").Where(c => c.Body.GetProperty("text").GetString()!.Contains("WARNING", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(1.9), $"resent after {(calls[1].At - calls[0].At).TotalSeconds:0.00} s");
        Assert.Single(h.Fake.SentTo(Alice), s => s.Text.Contains("WARNING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TooManyRequests_LongRetryAfter_TheAlertGoesBackToTheOutbox_WithoutCallingTelegramAgain()
    {
        await using var h = await TelegramHarness.StartAsync();
        await h.SayAsync(Alice, LongBtc);
        h.Fake.FailNext("sendMessage", TelegramFault.TooManyRequests(120));

        await h.StepAsync(T0);
        await h.StepAsync(T0.AddSeconds(120));
        var row = await AlertRowAsync(h);
        // Still paused in real time: rescheduled by what remains (about 120 s), and Telegram was not asked again.
        Assert.Equal((AlertStatus.Pending, 2), (row.Status, row.Attempts));
        Assert.InRange(row.NextAttemptAt, T0.AddSeconds(230), T0.AddSeconds(240));
        Assert.StartsWith("Telegram rate limit: rate limited: the next slot for this chat is in 1", row.LastError, StringComparison.Ordinal);
        Assert.Single(h.Fake.CallsTo("sendMessage"), c => c.Body.GetProperty("text").GetString()!.Contains("WARNING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerErrors_BackOff_ThenDeliverOnce()
    {
        await using var h = await TelegramHarness.StartAsync();
        await h.SayAsync(Alice, LongBtc);
        h.Fake.FailNext("sendMessage", TelegramFault.ServerError());

        await h.StepAsync(T0);
        var row = await AlertRowAsync(h);
        Assert.Equal((AlertStatus.Pending, 1, T0.AddSeconds(5)), (row.Status, row.Attempts, row.NextAttemptAt));
        Assert.StartsWith("Telegram sendMessage: 502 unreadable answer (<html>", row.LastError, StringComparison.Ordinal);

        await h.StepAsync(T0.AddSeconds(5));
        row = await AlertRowAsync(h);
        Assert.Equal((AlertStatus.Sent, 2), (row.Status, row.Attempts));
        Assert.Single(h.Fake.SentTo(Alice), s => s.Text.Contains("WARNING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forbidden_StopsTheUsersDelivery_ShownInStatus_AndStartResumesIt()
    {
        await using var h = await TelegramHarness.StartAsync();
        await h.SayAsync(Alice, LongBtc);
        h.Fake.FailNext("sendMessage", TelegramFault.Forbidden());

        await h.StepAsync(T0);
        var user = (await h.UserAsync(Alice))!;
        Assert.False(user.IsActive);
        Assert.Equal("Telegram: Forbidden: bot was blocked by the user (403)", user.InactiveReason);
        Assert.Equal(AlertStatus.Pending, (await AlertRowAsync(h)).Status);

        var status = FakeTelegram.VisibleText((await h.SayAsync(Alice, "/status")).Text);
        Assert.Contains("STOPPED since", status, StringComparison.Ordinal);
        Assert.Contains("Telegram: Forbidden: bot was blocked by the user (403); send /start to resume", status, StringComparison.Ordinal);

        await h.SayAsync(Alice, "/start");
        await h.StepAsync(T0.AddMinutes(1));
        Assert.Equal(AlertStatus.Sent, (await AlertRowAsync(h)).Status);
    }

    [Fact]
    public async Task BlockingTheBot_ReportedByMyChatMember_StopsDeliveryBeforeAnySendFails()
    {
        await using var h = await TelegramHarness.StartAsync();
        await h.SayAsync(Alice, LongBtc);
        var update = h.Fake.BlockedBy(Alice);
        await h.Fake.WaitUntilConfirmedAsync(update);
        await Eventually.UntilAsync(async () => (await h.UserAsync(Alice))!.IsActive == false, "delivery stopped by the block");
        Assert.Equal(TelegramChannel.BlockedReason, (await h.UserAsync(Alice))!.InactiveReason);

        await h.StepAsync(T0);
        // The stopped user is not evaluated, so nothing is even attempted.
        Assert.DoesNotContain(h.Fake.CallsTo("sendMessage"), c => c.Body.GetProperty("text").GetString()!.Contains("WARNING", StringComparison.Ordinal));

        // Unblocking (Telegram reports the bot a member again) resumes delivery without a /start.
        h.Fake.Unblock(Alice);
        var unblock = new TelegramUpdate(update + 1, null, null, null,
            new TelegramChatMemberUpdated(new TelegramChat(Alice, "private"), new TelegramUser(Alice, false, "Alice", null, null), new TelegramChatMember("member")));
        await h.Channel.HandleAsync(unblock, h.Services.GetRequiredService<Chat.ICommandHandler>(), CancellationToken.None);
        Assert.True((await h.UserAsync(Alice))!.IsActive);
        await h.StepAsync(T0.AddMinutes(1));
        Assert.Single(h.Fake.SentTo(Alice), s => s.Text.Contains("WARNING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadRequest_FailsThatMessageOnly_LoggedWithTheMethod_NeverTheToken()
    {
        await using var h = await TelegramHarness.StartAsync();
        await h.SayAsync(Alice, LongBtc);
        h.Fake.FailNext("sendMessage", TelegramFault.BadRequest("Bad Request: wrong parameter action in request"));

        await h.StepAsync(T0);
        var row = await AlertRowAsync(h);
        Assert.Equal(AlertStatus.Failed, row.Status);
        Assert.Equal("Telegram sendMessage: 400 Bad Request: wrong parameter action in request", row.LastError);
        Assert.True((await h.UserAsync(Alice))!.IsActive);
        Assert.Contains(h.Logs.Lines(), l => l.Contains("Telegram sendMessage: 400 Bad Request: wrong parameter action", StringComparison.Ordinal));
        Assert.DoesNotContain(FakeTelegram.Token, h.AllLogText(), StringComparison.Ordinal);
    }

    private static async Task<AlertRecord> AlertRowAsync(TelegramHarness h)
    {
        await using var scope = h.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        var user = (await h.UserAsync(Alice))!;
        return await db.Alerts.Where(a => a.OwnerId == user.Id).OrderBy(a => a.Id).FirstAsync();
    }
}
