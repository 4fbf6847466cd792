using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Channels.Console;
using PerpGuard.Bot.Channels.Discord;
using PerpGuard.Bot.Channels.Telegram;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Cli;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Bot.Market.Jobs;
using PerpGuard.Bot.Market.Venues.Binance;
using PerpGuard.Bot.Market.Venues.Bybit;
using PerpGuard.Bot.Market.Venues.Hyperliquid;
using PerpGuard.Bot.Market.Venues.Okx;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Risk;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;
using Quartz;

namespace PerpGuard.Bot;

/// <summary>Registers PerpGuard's services on the generic host.</summary>
public static class BotServiceCollectionExtensions
{
    /// <summary>The database file when <c>ConnectionStrings:PerpGuard</c> is not set, relative to the working directory.</summary>
    public const string DefaultConnectionString = "Data Source=data/perpguard.db";

    /// <summary>The connection string name a replay uses instead (<c>ConnectionStrings:Replay</c>).</summary>
    public const string ReplayConnectionName = "Replay";

    /// <summary>The replay database when <c>ConnectionStrings:Replay</c> is not set.</summary>
    public const string DefaultReplayConnectionString = "Data Source=data/replay.db";

    /// <summary>Options (validated on start), the calculator, the clock, and the database.</summary>
    public static IHostApplicationBuilder AddPerpGuard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CalculatorOptions>().BindConfiguration(CalculatorOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CalculatorOptions>, CalculatorOptionsValidator>();
        builder.Services.AddOptions<RiskOptions>().BindConfiguration(RiskOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RiskOptions>, RiskOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<RiskOptions>, RiskMixValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(TierCatalog.BuiltIn);
        builder.Services.TryAddSingleton(sp => new RiskCalculator(
            sp.GetRequiredService<TierCatalog>(), sp.GetRequiredService<IOptions<CalculatorOptions>>().Value.ToDefaults()));
        // Read when the context is built, so configuration added after this call (tests, hosts) still applies.
        builder.Services.AddDbContext<PerpGuardDbContext>((sp, o) => o.UseSqlite(
            sp.GetRequiredService<IConfiguration>().GetConnectionString(PerpGuardDbContext.ConnectionName) ?? DefaultConnectionString));
        builder.Services.TryAddSingleton<DatabaseMigrator>();
        return builder;
    }

    /// <summary>
    /// Market data: the venue clients on their configured base URLs, the in-memory state with freshness, the ingest
    /// path into SQLite, and (when <see cref="MarketOptions.Poll"/> is on) the Quartz polling jobs plus retention.
    /// </summary>
    public static IHostApplicationBuilder AddMarketData(this IHostApplicationBuilder builder, bool schedule)
    {
        builder.Services.AddOptions<MarketOptions>().BindConfiguration(MarketOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MarketOptions>, MarketOptionsValidator>();
        builder.Services.AddOptions<VenuesOptions>().BindConfiguration(VenuesOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<VenuesOptions>, VenuesOptionsValidator>();
        builder.Services.AddHttpClient();
        builder.Services.TryAddSingleton<VenueHttpFactory>();
        builder.Services.TryAddSingleton<MarketState>();
        builder.Services.TryAddSingleton<MarketIngest>();
        builder.Services.TryAddSingleton<MarketSymbols>();
        builder.Services.TryAddSingleton<MarketPoller>();
        AddVenueClients(builder.Services);
        if (!schedule) return builder;
        builder.Services.TryAddSingleton<AlertTrigger>();
        builder.Services.AddQuartz(q =>
        {
            // Every venue gets its jobs; a job whose venue is disabled, or with Market:Poll off, returns at once. Intervals
            // are read from the validated options when the scheduler starts, so configuration added late still applies.
            foreach (var venue in Enum.GetValues<Venue>())
            {
                Poll<PollPricesJob>(q, venue, o => o.PricesEvery);
                Poll<PollDepthJob>(q, venue, o => o.DepthEvery);
                Poll<PollBarsJob>(q, venue, o => o.BarsEvery);
            }
            var retention = new JobKey(nameof(RetentionJob));
            q.AddJob<RetentionJob>(j => j.WithIdentity(retention));
            q.AddTrigger(t => t.ForJob(retention).StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        // Jobs see shutdown through their cancellation token and are awaited, so no write is cut in half.
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    /// <summary>
    /// The Telegram channel, when <c>Telegram:Token</c> is set (read now: the channel set is fixed when the host is
    /// built). Its HttpClient logs nothing by itself: the request URL carries the token.
    /// </summary>
    public static IHostApplicationBuilder AddTelegram(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{TelegramOptions.Section}:{nameof(TelegramOptions.Token)}"])) return builder;
        builder.Services.AddHttpClient(TelegramApi.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        builder.Services.TryAddSingleton(sp => new TelegramApi(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(TelegramApi.HttpClientName), sp.GetRequiredService<IOptions<TelegramOptions>>().Value));
        builder.Services.TryAddSingleton(sp => new TelegramRateLimiter(
            sp.GetRequiredService<IOptions<TelegramOptions>>().Value, sp.GetRequiredKeyedService<TimeProvider>(WallClock.Key)));
        builder.Services.TryAddSingleton<TelegramChannel>();
        builder.Services.AddSingleton<IChatChannel>(sp => sp.GetRequiredService<TelegramChannel>());
        return builder;
    }

    /// <summary>The Discord channel, when <c>Discord:Token</c> is set (read now, like <see cref="AddTelegram"/>).</summary>
    public static IHostApplicationBuilder AddDiscord(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{DiscordOptions.Section}:{nameof(DiscordOptions.Token)}"])) return builder;
        builder.Services.AddHttpClient(DiscordRest.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        builder.Services.TryAddSingleton(sp =>
        {
            var wall = sp.GetRequiredKeyedService<TimeProvider>(WallClock.Key);
            return new DiscordRest(sp.GetRequiredService<IHttpClientFactory>().CreateClient(DiscordRest.HttpClientName),
                sp.GetRequiredService<IOptions<DiscordOptions>>().Value, new DiscordRateLimiter(wall), wall);
        });
        builder.Services.TryAddSingleton<DiscordChannel>();
        builder.Services.AddSingleton<IChatChannel>(sp => sp.GetRequiredService<DiscordChannel>());
        return builder;
    }

    /// <summary>The four venue clients (idempotent).</summary>
    public static void AddVenueClients(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVenueClient, BinanceClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVenueClient, BybitClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVenueClient, HyperliquidClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVenueClient, OkxClient>());
    }

    // One job per venue and feed group. A late fire (machine asleep, a long cycle) is skipped, not replayed in a burst:
    // only the newest market data matters.
    private static void Poll<TJob>(IQuartzBuilder q, Venue venue, Func<MarketOptions, TimeSpan> every) where TJob : class, IJob
    {
        var key = new JobKey($"{typeof(TJob).Name}-{venue.Name()}");
        q.AddJob<TJob>(j => j.WithIdentity(key).UsingJobData(VenuePollJob.VenueKey, venue.Name()));
        q.AddTrigger((sp, t) => t.ForJob(key).StartNow().WithSimpleSchedule(s => s
            .WithInterval(every(sp.GetRequiredService<IOptions<MarketOptions>>().Value)).RepeatForever()
            .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }

    /// <summary>
    /// The bot on top of <see cref="AddPerpGuard"/>: the database migrated at start, the command router, and the chat
    /// channels run by <see cref="ChatService"/>: the console on <paramref name="console"/> (unless
    /// <paramref name="consoleChannel"/> is false), and Telegram when <c>Telegram:Token</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddPerpGuardBot(this IHostApplicationBuilder builder, CliStreams console, ReplayScenario? replay = null, double speed = 60, bool consoleChannel = true)
    {
        if (replay is not null)
        {
            // A replay is a sandbox: its own database (users and positions kept between replays, the series emptied at
            // each start), no live polling, every event stored, and the whole process on scenario time.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{PerpGuardDbContext.ConnectionName}"] = builder.Configuration.GetConnectionString(ReplayConnectionName) ?? DefaultReplayConnectionString,
                [$"{MarketOptions.Section}:{nameof(MarketOptions.Poll)}"] = "false",
                [$"{MarketOptions.Section}:{nameof(MarketOptions.StoreEvery)}"] = "00:00:00",
            });
            var clock = new ReplayClock(replay.Header.PlayFrom, speed);
            builder.Services.AddSingleton(clock);
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton(replay);
        }
        builder.Services.AddSingleton(sp => BotInfo.Create(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ClusterMaps>();
        builder.Services.AddSingleton<RiskService>();
        builder.Services.AddSingleton<RiskCommands>();
        builder.Services.AddSingleton<PositionCommands>();
        builder.Services.AddSingleton<AccountCommands>();
        builder.Services.AddSingleton<AlertCommands>();
        builder.Services.AddSingleton<PortfolioService>();
        builder.Services.AddSingleton<PortfolioCommands>();
        builder.Services.AddSingleton<ICommandHandler, CommandRouter>();
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        builder.Services.AddSingleton<AlertBook>();
        builder.Services.AddSingleton<AlertEngine>();
        builder.Services.AddSingleton<AlertDispatcher>();
        builder.Services.AddQuartz(q =>
        {
            // Evaluate and dispatch on a short wall-clock schedule (held digests, retries, stale notices when no update
            // comes), and right after every market update through AlertTrigger.
            q.AddJob<AlertSweepJob>(j => j.WithIdentity(AlertSweepJob.Key).StoreDurably());
            q.AddTrigger((sp, t) => t.ForJob(AlertSweepJob.Key).StartNow().WithSimpleSchedule(s => s
                .WithInterval(sp.GetRequiredService<IOptions<AlertOptions>>().Value.SweepEvery).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        builder.Services.AddSingleton(console);
        builder.Services.TryAddKeyedSingleton(WallClock.Key, TimeProvider.System);
        if (consoleChannel) builder.Services.AddSingleton<IChatChannel, ConsoleChannel>();
        builder.AddTelegram();
        builder.AddDiscord();
        // Hosted services start in order: the schema exists before the first command arrives.
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.AddMarketData(schedule: true);
        if (replay is not null)
        {
            builder.Services.AddSingleton<ReplaySource>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ReplaySource>());
        }
        builder.Services.AddHostedService<ChatService>();
        return builder;
    }
}
