using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Bot.Channels.Discord;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Alerts;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Channels.Discord;

/// <summary>
/// The bot's real services on the oct10-flush replay (see <see cref="AlertHarness"/>) with the Discord channel pointed at
/// a <see cref="FakeDiscord"/> (REST and gateway on loopback): the receive loop runs in the background, alerts go out
/// through the real dispatcher, and every log line is collected. Reconnect waits are shortened.
/// </summary>
internal sealed class DiscordHarness : IAsyncDisposable
{
    public const string Alice = "300000000000000001";
    public const string Guild = "400000000000000001";

    private readonly AlertHarness _alerts;
    private readonly ReceiveLoop _loop = new();

    private DiscordHarness(FakeDiscord fake, AlertHarness alerts, LogCollector logs)
    {
        Fake = fake;
        _alerts = alerts;
        Logs = logs;
    }

    public FakeDiscord Fake { get; }
    public LogCollector Logs { get; }
    public AlertHarness Alerts => _alerts;
    public IServiceProvider Services => _alerts.Services;
    public Task? Receiving => _loop.Running;

    public static async Task<DiscordHarness> StartAsync(IDictionary<string, string?>? settings = null, TimeSpan? heartbeat = null)
    {
        var fake = await FakeDiscord.StartAsync(heartbeat ?? TimeSpan.FromMilliseconds(300));
        var logs = new LogCollector();
        var all = new Dictionary<string, string?>
        {
            ["Discord:Token"] = FakeDiscord.Token,
            ["Discord:ApplicationId"] = FakeDiscord.ApplicationId,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
            ["Discord:ReconnectFirst"] = "00:00:00.020",
            ["Discord:ReconnectMax"] = "00:00:00.200",
            ["Discord:ConnectTimeout"] = "00:00:03",
            ["Logging:LogLevel:PerpGuard"] = "Trace",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var alerts = await AlertHarness.StartAsync(all, logs.Capture);
        var harness = new DiscordHarness(fake, alerts, logs);
        harness.StartReceiving();
        await fake.WaitForFrameAsync(2); // identified
        return harness;
    }

    public void StartReceiving() => _loop.Start(Services.GetRequiredService<DiscordChannel>(), Services.GetRequiredService<ICommandHandler>());

    /// <summary>Stops the receive loop the way a shutdown does; a restart is <see cref="StartReceiving"/> again.</summary>
    public Task StopReceivingAsync() => _loop.StopAsync();

    /// <summary>Options as Discord sends them: name, type (3 string, 4 integer, 10 number) and value.</summary>
    public static JsonArray Options(params (string Name, object Value)[] options) =>
    [
        .. options.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Name,
            ["type"] = o.Value switch { int or long => 4, double => 10, _ => 3 },
            ["value"] = JsonValue.Create(o.Value),
        }),
    ];

    /// <summary>Runs a slash command and returns the first callback Discord received for it.</summary>
    public async Task<JsonElement> SlashAsync(string user, string name, JsonArray? options = null, string? guild = null)
    {
        var (id, _) = Fake.SlashCommand(user, name, options, guild);
        await Fake.WaitForCallAsync("POST", $"/interactions/{id}/");
        return Fake.Responses(id)[0];
    }

    public static JsonElement Embed(JsonElement message) => message.GetProperty("embeds")[0];

    public static string Title(JsonElement message) => Embed(message).GetProperty("title").GetString()!;

    /// <summary>Every text of a message's embed (title, description, fields).</summary>
    public static string Text(JsonElement message)
    {
        var e = Embed(message);
        var parts = new List<string>();
        if (e.TryGetProperty("title", out var t)) parts.Add(t.GetString()!);
        if (e.TryGetProperty("description", out var d)) parts.Add(d.GetString()!);
        if (e.TryGetProperty("fields", out var f)) parts.AddRange(f.EnumerateArray().Select(x => x.GetProperty("name").GetString() + "\n" + x.GetProperty("value").GetString()));
        return string.Join('\n', parts);
    }

    public static List<string> CustomIds(JsonElement message) => message.TryGetProperty("components", out var rows)
        ? [.. rows.EnumerateArray().SelectMany(r => r.GetProperty("components").EnumerateArray()).Select(b => b.GetProperty("custom_id").GetString()!)]
        : [];

    public Task StepAsync(DateTimeOffset until) => _alerts.StepAsync(until);

    public Task<ChatUser?> UserAsync(string discordId) => _alerts.UserAsync(DiscordChannel.Platform, discordId);

    public string AllLogText() => Logs.AllText();

    public async ValueTask DisposeAsync()
    {
        await StopReceivingAsync();
        await _alerts.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
