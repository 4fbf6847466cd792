using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Rendering;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Text;

namespace PerpGuard.Bot.Cli;

/// <summary>
/// <c>perpguard calc</c>: one position from flags, printed as a readable card; or <c>--jsonl</c>, one JSON request per
/// stdin line to one JSON response per stdout line. Flags take values as traders write them
/// (<c>60,000</c>, <c>1.5k</c>, <c>20x</c>, <c>0.01%</c>, <c>24h</c>); every bad value is named with an example.
/// </summary>
internal sealed class CalcCommand
{
    private readonly Option<bool> _jsonl = new("--jsonl") { Description = "Read one JSON request per line from stdin; write one JSON response per line to stdout." };
    private readonly Option<string> _venue = Text("--venue", "binance, bybit, hyperliquid or okx.");
    private readonly Option<string> _symbol = Text("--symbol", "Symbol in any spelling (BTCUSDT, btc, BTC-USDT-SWAP); selects the built-in tiers.");
    private readonly Option<string> _contract = Text("--contract", "linear (default) or inverse.");
    private readonly Option<string> _marginMode = Text("--margin-mode", "isolated (default) or cross.");
    private readonly Option<string> _side = Text("--side", "long or short.");
    private readonly Option<string> _entry = Text("--entry", "Entry price.");
    private readonly Option<string> _qty = Text("--qty", "Size: base units (linear) or contracts (inverse).");
    private readonly Option<string> _contractSize = Text("--contract-size", "Inverse: USD value of one contract.");
    private readonly Option<string> _leverage = Text("--leverage", "Leverage, e.g. 20 or 20x.");
    private readonly Option<string> _margin = Text("--margin", "Isolated margin (default: notional ÷ leverage).");
    private readonly Option<string> _wallet = Text("--wallet", "Cross: wallet balance.");
    private readonly Option<string> _mark = Text("--mark", "Current mark price.");
    private readonly Option<string> _mmr = Text("--mmr", "Maintenance rate override, e.g. 0.005 or 0.5%.");
    private readonly Option<string> _maintenanceAmount = Text("--maintenance-amount", "Maintenance amount override (Binance cum).");
    private readonly Option<string> _takerFee = Text("--taker-fee", "Taker fee, e.g. 0.0005 or 0.05%.");
    private readonly Option<string> _fundingRate = Text("--funding-rate", "Funding rate per interval, e.g. 0.0001 or 0.01%.");
    private readonly Option<string> _fundingInterval = Text("--funding-interval", "Hours between settlements, e.g. 8 or 8h.");
    private readonly Option<string> _vol = Text("--vol", "Annualized volatility, e.g. 0.6 or 60%.");
    private readonly Option<string> _horizon = Text("--horizon", "Horizon, e.g. 24h, 90m, 7d.");
    private readonly Option<string> _formula = Text("--formula", "Bybit only: at_mark (default) or published.");

    public CalcCommand()
    {
        Command = new Command("calc", "Liquidation and bankruptcy price, margins, distance, funding cost and hit probability of a position.")
        {
            _jsonl, _venue, _symbol, _contract, _marginMode, _side, _entry, _qty, _contractSize, _leverage, _margin, _wallet,
            _mark, _mmr, _maintenanceAmount, _takerFee, _fundingRate, _fundingInterval, _vol, _horizon, _formula,
        };
        _wallet.Aliases.Add("--wallet-balance");
        _vol.Aliases.Add("--volatility");
    }

    public Command Command { get; }

    public async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CliStreams streams, CancellationToken cancellationToken)
    {
        var calculator = services.GetRequiredService<RiskCalculator>();
        if (parse.GetValue(_jsonl))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("PerpGuard.Calc");
            return await new JsonlCalculator(calculator).RunAsync(streams.Input, streams.Output, streams.Error, logger, cancellationToken);
        }

        var (request, error) = ReadFlags(parse);
        var outcome = error is null ? calculator.Calculate(request) : default;
        error ??= outcome.Error;
        if (error is not null)
        {
            await streams.Error.WriteLineAsync($"error: {FlagMessage(error)}");
            return CliApp.InvalidInput;
        }
        await using var output = new StreamWriter(streams.Output, new UTF8Encoding(false), leaveOpen: true);
        await output.WriteAsync(PositionCard.Render(outcome.Report!));
        return 0;
    }

    private (CalcRequest Request, InputError? Error) ReadFlags(ParseResult parse)
    {
        var request = new CalcRequest
        {
            Venue = parse.GetValue(_venue),
            Symbol = parse.GetValue(_symbol),
            Contract = parse.GetValue(_contract),
            MarginMode = parse.GetValue(_marginMode),
            Side = parse.GetValue(_side),
            Formula = parse.GetValue(_formula),
        };
        InputError? error = null;
        request.Entry = Number(parse, _entry, "entry", NumberText.TryParse, ref error);
        request.Qty = Number(parse, _qty, "qty", NumberText.TryParse, ref error);
        request.ContractSize = Number(parse, _contractSize, "contract_size", NumberText.TryParse, ref error);
        request.Leverage = Number(parse, _leverage, "leverage", NumberText.TryParseLeverage, ref error);
        request.Margin = Number(parse, _margin, "margin", NumberText.TryParse, ref error);
        request.WalletBalance = Number(parse, _wallet, "wallet_balance", NumberText.TryParse, ref error);
        request.Mark = Number(parse, _mark, "mark", NumberText.TryParse, ref error);
        request.Mmr = Number(parse, _mmr, "mmr", NumberText.TryParseRate, ref error);
        request.MaintenanceAmount = Number(parse, _maintenanceAmount, "maintenance_amount", NumberText.TryParse, ref error);
        request.TakerFee = Number(parse, _takerFee, "taker_fee", NumberText.TryParseRate, ref error);
        request.FundingRate = Number(parse, _fundingRate, "funding_rate", NumberText.TryParseRate, ref error);
        request.FundingIntervalHours = Number(parse, _fundingInterval, "funding_interval_hours", NumberText.TryParseHours, ref error);
        request.Volatility = Number(parse, _vol, "volatility", NumberText.TryParseRate, ref error);
        request.HorizonHours = Number(parse, _horizon, "horizon_hours", NumberText.TryParseHours, ref error);
        return (request, error);
    }

    private delegate bool Parser(string? text, out double value);

    private static double? Number(ParseResult parse, Option<string> option, string field, Parser parser, ref InputError? error)
    {
        var text = parse.GetValue(option);
        if (text is null) return null;
        if (parser(text, out var value)) return value;
        error ??= new InputError(field, $"'{text}' is not a number", CalcFields.Example(field));
        return null;
    }

    /// <summary>Renders an input error in flag syntax: <c>--qty: must be greater than 0 (got -1). Example: --qty 0.5</c>.</summary>
    internal static string FlagMessage(InputError error)
    {
        var flag = CalcFlags.Flag(error.Field);
        return flag is null
            ? $"{error.Field}: {error.Problem}. This field is only available through calc --jsonl."
            : $"{flag}: {error.Problem}. Example: {flag} {error.Example.Trim('"')}";
    }

    private static Option<string> Text(string name, string description) => new(name) { Description = description };
}
