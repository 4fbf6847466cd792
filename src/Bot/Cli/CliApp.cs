using System.CommandLine;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Cli;

/// <summary>
/// The <c>perpguard</c> command line. Parsing is System.CommandLine's; the services come from the generic host, built
/// once per invocation from <c>appsettings.json</c>, environment variables and (in Development) user secrets.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for input the calculator rejected.</summary>
    public const int InvalidInput = 2;

    /// <summary>Runs one invocation and returns its exit code.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="streams">Standard streams.</param>
    /// <param name="configure">Test hook: adjust the host's configuration before the command's services are added.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    public static async Task<int> RunAsync(string[] args, CliStreams streams, Action<IHostApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var calc = new CalcCommand();
        var console = new Option<bool>("--console") { Description = "Talk on stdin/stdout as one local user, even when a chat token is configured." };
        var market = new MarketCommand();
        var risk = new RiskCliCommands();
        var stress = new StressCommand();
        var replay = new Option<string>("--replay") { Description = $"Play a market scenario instead of polling the venues: a built-in name ({string.Join(", ", ReplayScenario.BuiltIn)}) or a JSONL file. Uses its own database (ConnectionStrings:Replay, default data/replay.db).", HelpName = "name|file" };
        var speed = new Option<double>("--speed") { Description = "Replay speed: scenario seconds per real second.", DefaultValueFactory = _ => 60 };
        var migrate = new Command("migrate", "Create or upgrade the database (ConnectionStrings:PerpGuard, default data/perpguard.db) and exit.");
        var root = new RootCommand("PerpGuard: liquidation and cascade risk for perpetual-futures traders. Without a command, runs the bot (the console when no chat token is configured).")
        {
            calc.Command, market.Command, risk.Clusters, risk.Cascade, stress.Command, migrate, console, replay, speed,
        };
        // The bare root runs the bot; a placeholder action tells System.CommandLine that no subcommand is required.
        root.SetAction(_ => 0);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await streams.Error.WriteLineAsync($"error: {error.Message}");
            await streams.Error.WriteLineAsync($"Run 'perpguard {(parse.CommandResult.Command == calc.Command ? "calc " : "")}--help' for usage.");
            return InvalidInput;
        }
        if (parse.Action is not null && parse.Action != parse.CommandResult.Command.Action)
        {
            // --help or --version: System.CommandLine prints them.
            var output = new StreamWriter(streams.Output, new UTF8Encoding(false)) { AutoFlush = true };
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = streams.Error }, cancellationToken);
        }

        var command = parse.CommandResult.Command;
        if (command == root)
        {
            ReplayScenario? scenario = null;
            if (parse.GetValue(replay) is { } replayName)
            {
                var speedValue = parse.GetValue(speed);
                if (!(speedValue > 0) || double.IsInfinity(speedValue))
                {
                    await streams.Error.WriteLineAsync($"error: --speed must be a positive number of scenario seconds per second, e.g. --speed 60 (got {speedValue.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
                    return InvalidInput;
                }
                try
                {
                    scenario = ReplayScenario.Load(replayName);
                }
                catch (ReplayFormatException ex)
                {
                    await streams.Error.WriteLineAsync($"error: {ex.Message}");
                    return InvalidInput;
                }
            }
            return await RunBotAsync(parse.GetValue(console) || scenario is not null, scenario, parse.GetValue(speed), streams, configure, cancellationToken);
        }
        var needsMarket = command == market.Command || command == risk.Clusters || command == risk.Cascade;
        using var host = BuildHost(configure, needsMarket ? b => b.AddMarketData(schedule: false) : null);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            return await ConfigurationErrorAsync(streams, ex);
        }
        try
        {
            if (command == migrate) return await MigrateAsync(host.Services, streams, cancellationToken);
            if (command == market.Command) return await market.RunAsync(parse, host.Services, streams, cancellationToken);
            if (command == risk.Clusters || command == risk.Cascade) return await risk.RunAsync(parse, host.Services, streams, cancellationToken);
            if (command == stress.Command) return await stress.RunAsync(parse, host.Services, streams, cancellationToken);
            return await calc.RunAsync(parse, host.Services, streams, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    // The bot: migrate, then run every chat channel until stopped (Ctrl+C) or, on the console, until end of input. The
    // console runs when no chat token is configured, with --console, and always on a replay (a local demonstration);
    // Telegram runs when its token is set.
    private static async Task<int> RunBotAsync(bool forceConsole, ReplayScenario? replay, double speed, CliStreams streams, Action<IHostApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        using var host = BuildHost(configure, b => b.AddPerpGuardBot(streams, replay, speed, consoleChannel: forceConsole || ChatTokens.Configured(b.Configuration).Count == 0));
        List<ChatService> chat;
        try
        {
            // Taken before RunAsync, which disposes the host; resolving the channels validates their options.
            chat = [.. host.Services.GetServices<IHostedService>().OfType<ChatService>()];
            await host.RunAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            return await ConfigurationErrorAsync(streams, ex);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            await streams.Error.WriteLineAsync($"database error: {ex.Message} (ConnectionStrings:PerpGuard)");
            return 1;
        }
        // A channel that cannot run as configured (a rejected token) is an error even when the others ran on.
        var fatal = chat.SelectMany(c => c.FatalErrors).ToList();
        foreach (var error in fatal) await streams.Error.WriteLineAsync($"error: {error}");
        return fatal.Count == 0 ? 0 : 1;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, CliStreams streams, CancellationToken cancellationToken)
    {
        await using var output = new StreamWriter(streams.Output, new UTF8Encoding(false), leaveOpen: true);
        var migrator = services.GetRequiredService<DatabaseMigrator>();
        var file = migrator.DataSource();
        try
        {
            var applied = await migrator.MigrateAsync(cancellationToken);
            await output.WriteLineAsync(applied.Count == 0
                ? $"{file}: up to date."
                : $"{file}: applied {applied.Count} migration{(applied.Count == 1 ? "" : "s")}: {string.Join(", ", applied)}.");
            return 0;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            await streams.Error.WriteLineAsync($"database error: {ex.Message} ({file})");
            return 1;
        }
    }

    private static async Task<int> ConfigurationErrorAsync(CliStreams streams, OptionsValidationException ex)
    {
        await streams.Error.WriteLineAsync($"configuration error: {string.Join("; ", ex.Failures)}");
        return 1;
    }

    private static IHost BuildHost(Action<IHostApplicationBuilder>? configure, Action<IHostApplicationBuilder>? services)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // Command-line arguments belong to System.CommandLine, not to configuration.
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // stdout carries results (JSONL); logs go to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddPerpGuard();
        // The hook first: configuration it adds decides which channels the services register.
        configure?.Invoke(builder);
        services?.Invoke(builder);
        return builder.Build();
    }
}
