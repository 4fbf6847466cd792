using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Portfolio;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Cli;

/// <summary>One line of <c>stress --jsonl</c>: a portfolio (one account) and a scenario.</summary>
internal sealed class StressLine
{
    /// <summary>Echoed in the result.</summary>
    public string? Id { get; set; }
    /// <summary>The account's cross wallet (cross positions share it; their own wallet_balance defaults to it).</summary>
    public double? Wallet { get; set; }
    /// <summary>The scenario: exactly one of btc, all, moves.</summary>
    public StressScenarioLine? Scenario { get; set; }
    /// <summary>Beta to BTC per asset (default 1).</summary>
    public Dictionary<string, double>? Betas { get; set; }
    /// <summary>The positions, in <c>calc --jsonl</c>'s shape; each needs a mark.</summary>
    public List<CalcRequest>? Positions { get; set; }
}

/// <summary>A scenario: a BTC move (others by beta), a move of everything, or moves per asset; fractions (−0.1 = −10%).</summary>
internal sealed class StressScenarioLine
{
    /// <summary>BTC move.</summary>
    public double? Btc { get; set; }
    /// <summary>Common move.</summary>
    public double? All { get; set; }
    /// <summary>Move per asset.</summary>
    public Dictionary<string, double>? Moves { get; set; }
}

/// <summary>The result of one line.</summary>
internal sealed record StressOutput(string? Id, string? Scenario, IReadOnlyList<StressPositionOutput>? Positions, double? TotalLoss, bool? AccountLiquidated,
    double? AccountKillMove, double? FirstKillMove, string? Error);

/// <summary>One position's fate.</summary>
internal sealed record StressPositionOutput(string Id, string Asset, double ShockedPrice, bool Liquidated, double Pnl, double Loss, double? KillMove, int? Order);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StressLine))]
[JsonSerializable(typeof(StressOutput))]
internal sealed partial class StressJsonContext : JsonSerializerContext;

/// <summary>
/// <c>perpguard stress --jsonl</c>: one portfolio and one scenario per stdin line, one result per stdout line, in order.
/// A line that cannot be used gets <c>{"id":…, "error":…}</c> naming the field, and the batch goes on; the exit code is
/// 2 when any line was rejected. Positions are validated by the same calculator as <c>calc</c>.
/// </summary>
internal sealed class StressCommand
{
    // Labels and messages carry "−"; scripts read UTF-8, so it is written as is rather than as \u2212.
    private static readonly StressJsonContext Json = new(new JsonSerializerOptions(StressJsonContext.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private readonly Option<bool> _jsonl = new("--jsonl") { Description = "Read portfolio+scenario lines on stdin, write results on stdout (the only mode)." };

    public StressCommand()
    {
        Command = new Command("stress", "Stress a portfolio: which positions a scenario liquidates, in what order, the loss, the move that kills each, and the cross account's fate.")
        {
            _jsonl,
        };
    }

    public Command Command { get; }

    public async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CliStreams streams, CancellationToken cancellationToken)
    {
        if (!parse.GetValue(_jsonl))
        {
            await streams.Error.WriteLineAsync("error: perpguard stress reads JSONL: run 'perpguard stress --jsonl < portfolios.jsonl' (see README, Portfolio stress).");
            return CliApp.InvalidInput;
        }
        var calculator = services.GetRequiredService<RiskCalculator>();
        using var reader = new StreamReader(streams.Input, Encoding.UTF8, leaveOpen: true);
        await using var writer = new StreamWriter(streams.Output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        var rejected = false;
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var output = Run(text, number, calculator);
            rejected |= output.Error is not null;
            await writer.WriteLineAsync(JsonSerializer.Serialize(output, Json.StressOutput));
        }
        await writer.FlushAsync(cancellationToken);
        return rejected ? CliApp.InvalidInput : 0;
    }

    /// <summary>One line's result.</summary>
    public static StressOutput Run(string text, int lineNumber, RiskCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        StressLine? line;
        try
        {
            line = JsonSerializer.Deserialize(text, StressJsonContext.Default.StressLine);
        }
        catch (JsonException ex)
        {
            return Error(null, $"line {lineNumber}: not a stress line ({ex.Message.Split(". Path", 2)[0]}). Example: {Example}");
        }
        if (line is null) return Error(null, $"line {lineNumber}: empty. Example: {Example}");
        if (!TryScenario(line.Scenario, out var scenario, out var problem)) return Error(line.Id, problem!);
        if (line.Positions is not { Count: > 0 }) return Error(line.Id, "positions: give at least one position in calc's shape, with a mark");
        var members = new List<PortfolioPosition>();
        for (var i = 0; i < line.Positions.Count; i++)
        {
            var request = line.Positions[i];
            if (request.Mark is not > 0) return Error(line.Id, $"positions[{i}].mark: required, the current mark price (the scenario moves it)");
            if (RiskCalculator.TryParseMode(request.MarginMode, out var mode) && mode == MarginMode.Cross) request.WalletBalance ??= line.Wallet;
            var outcome = calculator.Calculate(request);
            if (outcome.Report is not { } report) return Error(line.Id, $"positions[{i}].{outcome.Error}");
            var asset = SymbolName.TryParse(request.Symbol, out var a, out _) ? a : "?";
            members.Add(new PortfolioPosition(request.Id ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), asset, report.Terms, request.Mark.Value)
            {
                Beta = line.Betas?.GetValueOrDefault(asset, 1) ?? 1,
            });
        }
        try
        {
            var result = PortfolioStress.Run(new Core.Portfolio.Portfolio(members, line.Wallet ?? 0), scenario!);
            return new StressOutput(line.Id, scenario!.Label,
                [.. result.Positions.Select(p => new StressPositionOutput(p.Id, p.Asset, p.ShockedPrice, p.Liquidated, p.Pnl, p.Loss, p.KillMove, p.Order))],
                result.TotalLoss, result.AccountLiquidated, result.AccountKillMove, result.FirstKillMove, null);
        }
        catch (ArgumentException ex)
        {
            return Error(line.Id, ex.Message);
        }
    }

    private const string Example = """{"id":"a","wallet":10000,"scenario":{"btc":-0.1},"positions":[{"venue":"binance","symbol":"BTCUSDT","side":"long","qty":0.5,"entry":60000,"leverage":20,"margin_mode":"cross","mark":61000}]}""";

    private static bool TryScenario(StressScenarioLine? s, out Scenario? scenario, out string? problem)
    {
        scenario = null;
        problem = null;
        var given = (s?.Btc is not null ? 1 : 0) + (s?.All is not null ? 1 : 0) + (s?.Moves is not null ? 1 : 0);
        if (given != 1)
        {
            problem = """scenario: give exactly one of {"btc": -0.1}, {"all": -0.05} or {"moves": {"ETH": -0.2}} (fractions)""";
            return false;
        }
        var moves = s!.Moves ?? new Dictionary<string, double> { ["x"] = s.Btc ?? s.All!.Value };
        foreach (var (asset, move) in moves)
        {
            if (!(move > -1 && move <= PortfolioStress.UpwardLimit))
            {
                problem = $"scenario: {(s.Moves is null ? (s.Btc is not null ? "btc" : "all") : $"moves.{asset}")} = {move.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range (−1, 10]: a fraction, −0.1 for −10%";
                return false;
            }
        }
        scenario = s.Btc is { } btc ? new BtcMove(btc) : s.All is { } all ? new AllMove(all)
            : new SymbolMoves(s.Moves!.ToDictionary(m => SymbolName.TryParse(m.Key, out var asset, out _) ? asset : m.Key.ToUpperInvariant(), m => m.Value));
        return true;
    }

    private static StressOutput Error(string? id, string error) => new(id, null, null, null, null, null, null, error);
}
