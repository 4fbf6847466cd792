using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    /// <param name="configure">Test hook: adjust the host (e.g. configuration) before it is built.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    public static async Task<int> RunAsync(string[] args, CliStreams streams, Action<IHostApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var calc = new CalcCommand();
        var root = new RootCommand("PerpGuard: liquidation and cascade risk for perpetual-futures traders.") { calc.Command };
        root.SetAction(result => new System.CommandLine.Help.HelpAction().Invoke(result));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await streams.Error.WriteLineAsync($"error: {error.Message}");
            await streams.Error.WriteLineAsync($"Run 'perpguard {(parse.CommandResult.Command == calc.Command ? "calc " : "")}--help' for usage.");
            return InvalidInput;
        }
        if (parse.Action is not null || parse.CommandResult.Command != calc.Command)
        {
            // --help, --version, or the bare root (whose action prints help): System.CommandLine prints them.
            var output = new StreamWriter(streams.Output, new UTF8Encoding(false)) { AutoFlush = true };
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = streams.Error }, cancellationToken);
        }

        using var host = BuildHost(configure);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            await streams.Error.WriteLineAsync($"configuration error: {string.Join("; ", ex.Failures)}");
            return 1;
        }
        try
        {
            return await calc.RunAsync(parse, host.Services, streams, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static IHost BuildHost(Action<IHostApplicationBuilder>? configure)
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
        configure?.Invoke(builder);
        return builder.Build();
    }
}
