using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Channels.Console;
using PerpGuard.Bot.Chat;
using PerpGuard.Bot.Cli;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Margin;

namespace PerpGuard.Bot;

/// <summary>Registers PerpGuard's services on the generic host.</summary>
public static class BotServiceCollectionExtensions
{
    /// <summary>The database file when <c>ConnectionStrings:PerpGuard</c> is not set, relative to the working directory.</summary>
    public const string DefaultConnectionString = "Data Source=data/perpguard.db";

    /// <summary>Options (validated on start), the calculator, the clock, and the database.</summary>
    public static IHostApplicationBuilder AddPerpGuard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CalculatorOptions>().BindConfiguration(CalculatorOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CalculatorOptions>, CalculatorOptionsValidator>();
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
    /// The bot on top of <see cref="AddPerpGuard"/>: the database migrated at start, the command router, and the chat
    /// channels run by <see cref="ChatService"/> (today the console, on <paramref name="console"/>).
    /// </summary>
    public static IHostApplicationBuilder AddPerpGuardBot(this IHostApplicationBuilder builder, CliStreams console)
    {
        builder.Services.AddSingleton(sp => BotInfo.Create(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<PositionCommands>();
        builder.Services.AddSingleton<AccountCommands>();
        builder.Services.AddSingleton<ICommandHandler, CommandRouter>();
        builder.Services.AddSingleton(console);
        builder.Services.AddSingleton<IChatChannel, ConsoleChannel>();
        // Hosted services start in order: the schema exists before the first command arrives.
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddHostedService<ChatService>();
        return builder;
    }
}
