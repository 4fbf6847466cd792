using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Bot.Channels.Telegram;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Alerts;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Telegram;

/// <summary>
/// The bot's real services on the oct10-flush replay (see <see cref="AlertHarness"/>) with the Telegram channel pointed
/// at a <see cref="FakeTelegram"/> over loopback HTTP: its receive loop runs in the background, alerts go out through the
/// real dispatcher, and every log line is collected (to prove the token never appears). Rate limits and backoffs are
/// shortened so a conversation takes milliseconds; the limiter's own spacing is tested on its own.
/// </summary>
internal sealed class TelegramHarness : IAsyncDisposable
{
    public const long Alice = 111_000_001;
    public const long Bob = 111_000_002;

    private readonly AlertHarness _alerts;
    private readonly ReceiveLoop _loop = new();

    private TelegramHarness(FakeTelegram fake, AlertHarness alerts, LogCollector logs)
    {
        Fake = fake;
        _alerts = alerts;
        Logs = logs;
    }

    public FakeTelegram Fake { get; }
    public LogCollector Logs { get; }
    public AlertHarness Alerts => _alerts;
    public IServiceProvider Services => _alerts.Services;
    public TelegramChannel Channel => Services.GetRequiredService<TelegramChannel>();
    /// <summary>The running receive loop (faults when the channel stops for good).</summary>
    public Task? Receiving => _loop.Running;

    public static async Task<TelegramHarness> StartAsync(IDictionary<string, string?>? settings = null, bool receive = true)
    {
        var fake = await FakeTelegram.StartAsync();
        var logs = new LogCollector();
        var all = new Dictionary<string, string?>
        {
            ["Telegram:Token"] = FakeTelegram.Token,
            ["Telegram:ApiBaseUrl"] = fake.BaseUrl,
            ["Telegram:PollTimeout"] = "00:00:01",
            ["Telegram:RequestTimeout"] = "00:00:02",
            ["Telegram:RetryFirst"] = "00:00:00.020",
            ["Telegram:RetryMax"] = "00:00:00.100",
            ["Telegram:PerChatInterval"] = "00:00:00",
            ["Telegram:PerGroupInterval"] = "00:00:00",
            ["Telegram:GlobalPerSecond"] = "1000",
            ["Logging:LogLevel:PerpGuard"] = "Trace",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var alerts = await AlertHarness.StartAsync(all, logs.Capture);
        var harness = new TelegramHarness(fake, alerts, logs);
        if (receive) harness.StartReceiving();
        return harness;
    }

    public void StartReceiving() => _loop.Start(Channel, Services.GetRequiredService<ICommandHandler>());

    /// <summary>Stops the receive loop the way a shutdown does; a restart is <see cref="StartReceiving"/> again.</summary>
    public Task StopReceivingAsync() => _loop.StopAsync();

    /// <summary>The user types <paramref name="text"/>; returns the bot's first new message to that chat.</summary>
    public async Task<TelegramSent> SayAsync(long user, string text, long? chat = null)
    {
        var to = chat ?? user;
        var before = LastMessageId(to);
        Fake.SendText(user, text, chat, chat is null ? "private" : "group");
        return await Fake.WaitForSentAsync(to, s => s.MessageId > before && !s.Edited);
    }

    /// <summary>The position id in an "Added #N." reply.</summary>
    public static long AddedId(TelegramSent added) =>
        long.Parse(System.Text.RegularExpressions.Regex.Match(FakeTelegram.VisibleText(added.Text), @"Added #(\d+)\.").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    public long LastMessageId(long chat) => Fake.SentTo(chat).Select(s => s.MessageId).DefaultIfEmpty(0).Max();

    /// <summary>Plays the replay to <paramref name="until"/>, then sweeps and dispatches once (alerts go to Telegram).</summary>
    public Task StepAsync(DateTimeOffset until) => _alerts.StepAsync(until);

    public Task<ChatUser?> UserAsync(long telegramId) =>
        _alerts.UserAsync(TelegramChannel.Platform, telegramId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<int> PositionCountAsync(long telegramId)
    {
        var user = await UserAsync(telegramId);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        return user is null ? 0 : db.Positions.Count(p => p.OwnerId == user.Id);
    }

    /// <summary>The inline buttons of a sent message: (label, callback data) per button, rows flattened.</summary>
    public static List<(string Text, string Data)> Buttons(TelegramSent sent)
    {
        if (sent.ReplyMarkupJson is null) return [];
        using var doc = JsonDocument.Parse(sent.ReplyMarkupJson);
        return [.. doc.RootElement.GetProperty("inline_keyboard").EnumerateArray().SelectMany(row => row.EnumerateArray())
            .Select(b => (b.GetProperty("text").GetString()!, b.TryGetProperty("callback_data", out var d) ? d.GetString()! : ""))];
    }

    /// <summary>Every log line and exception text, for leak checks.</summary>
    public string AllLogText() => Logs.AllText();

    public async ValueTask DisposeAsync()
    {
        await StopReceivingAsync();
        await _alerts.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
