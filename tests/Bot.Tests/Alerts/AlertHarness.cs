using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Cli;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Alerts;

/// <summary>One notification as the recording channel received it.</summary>
internal sealed record Received(DateTimeOffset At, string User, Reply Message, string IdempotencyKey)
{
    public string Headline => Message.Headline;
    public string Text => PlainTextReply.Render(Message);
}

/// <summary>
/// A chat platform named <c>test</c> that records every notification, and can be told to fail the next sends
/// (transient, permanent or rate-limited) to exercise the dispatcher.
/// </summary>
internal sealed class RecordingChannel(TimeProvider time) : IChatChannel
{
    public const string Platform = "test";
    private readonly Lock _gate = new();
    private readonly List<Received> _received = [];

    public string Name => Platform;
    /// <summary>Called before each send; an exception it returns is thrown instead of delivering.</summary>
    public Func<ChatNotification, Exception?>? Fail { get; set; }
    public List<Received> Received { get { lock (_gate) return [.. _received]; } }

    public Task ReceiveAsync(ICommandHandler commands, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SendAsync(ChatNotification notification, CancellationToken cancellationToken)
    {
        if (Fail?.Invoke(notification) is { } failure) throw failure;
        lock (_gate) _received.Add(new Received(time.GetUtcNow(), notification.ExternalId, notification.Message, notification.IdempotencyKey));
        return Task.CompletedTask;
    }
}

/// <summary>
/// The bot's real services on the shipped oct10-flush replay, stepped under the test's control: each step plays the
/// market to a time (the replay clock stops there), then runs one alert sweep and one dispatch, exactly what the
/// Quartz job does after a market update. Notifications go to a <see cref="RecordingChannel"/>.
/// </summary>
internal sealed class AlertHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;

    private AlertHarness(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
        Channel = (RecordingChannel)host.Services.GetServices<IChatChannel>().Single(c => c.Name == RecordingChannel.Platform);
    }

    public static readonly ReplayScenario Scenario = ReplayScenario.Load("oct10-flush");
    public static DateTimeOffset PlayFrom => Scenario.Header.PlayFrom;

    public RecordingChannel Channel { get; }
    public IServiceProvider Services => _host.Services;
    public ReplayClock Clock => Services.GetRequiredService<ReplayClock>();
    public AlertEngine Engine => Services.GetRequiredService<AlertEngine>();
    public AlertDispatcher Dispatcher => Services.GetRequiredService<AlertDispatcher>();
    public DateTimeOffset Now => Clock.GetUtcNow();

    public static async Task<AlertHarness> StartAsync(IDictionary<string, string?>? settings = null, Action<IHostApplicationBuilder>? configure = null)
    {
        var directory = TestDirectory.NewPath();
        Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["ConnectionStrings:Replay"] = $"Data Source={Path.Combine(directory, "replay.db")}";
        builder.Configuration["Market:Poll"] = "false";
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPerpGuard();
        builder.AddPerpGuardBot(new CliStreams(Stream.Null, Stream.Null, TextWriter.Null), Scenario, speed: 60);
        builder.Services.AddSingleton<IChatChannel>(sp => new RecordingChannel(sp.GetRequiredService<TimeProvider>()));
        configure?.Invoke(builder);
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        var harness = new AlertHarness(host, directory);
        // The history before PlayFrom, so commands see a market.
        await harness.Services.GetRequiredService<ReplaySource>().AdvanceAsync(PlayFrom, CancellationToken.None);
        return harness;
    }

    /// <summary>Plays to <paramref name="until"/>, then sweeps and dispatches once.</summary>
    public async Task StepAsync(DateTimeOffset until)
    {
        await Services.GetRequiredService<ReplaySource>().AdvanceAsync(until, CancellationToken.None);
        await Engine.SweepAsync(CancellationToken.None);
        await Dispatcher.DispatchAsync(CancellationToken.None);
    }

    /// <summary>Steps every <paramref name="every"/> (default one minute, the scenario's cadence) up to <paramref name="until"/>.</summary>
    public async Task RunUntilAsync(DateTimeOffset until, TimeSpan? every = null)
    {
        var step = every ?? TimeSpan.FromMinutes(1);
        for (var t = Now + step; t <= until; t += step) await StepAsync(t);
    }

    public Task<Reply> SendAsync(string text, string user) =>
        Services.GetRequiredService<ICommandHandler>().HandleAsync(new ChatMessage(new ChatIdentity(RecordingChannel.Platform, user, user), text, SupportsButtons: true), CancellationToken.None);

    /// <summary>The notifications <paramref name="user"/> received.</summary>
    public List<Received> For(string user) => [.. Channel.Received.Where(r => r.User == user)];

    /// <summary>A user by platform and external id, or null.</summary>
    public async Task<ChatUser?> UserAsync(string platform, string externalId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        return db.Users.SingleOrDefault(u => u.Platform == platform && u.ExternalId == externalId);
    }

    public async Task<List<AlertRecord>> AlertsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        return [.. db.Alerts.OrderBy(a => a.Id)];
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Task.Yield();
        TestDirectory.Delete(_directory);
    }
}
