using System.CommandLine;
using PerpGuard.Bot.Replay;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Cli;

/// <summary>
/// The arguments every one-symbol command shares (<c>market</c>, <c>clusters</c>, <c>cascade</c>): the symbol, <c>--venue</c>,
/// <c>--json</c> and <c>--replay</c>, with one wording for their errors.
/// </summary>
internal sealed class SymbolArguments(string replayDescription)
{
    public Argument<string> Symbol { get; } = new("symbol") { Description = "Symbol in any spelling: BTCUSDT, btc, BTC-USDT-SWAP, kPEPE." };
    public Option<string> Venue { get; } = new("--venue") { Description = "binance (default), bybit, hyperliquid or okx.", DefaultValueFactory = _ => "binance" };
    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of text." };
    public Option<string> Replay { get; } = new("--replay") { Description = replayDescription, HelpName = "name|file" };

    /// <summary>Adds the four to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Symbol);
        command.Add(Venue);
        command.Add(Json);
        command.Add(Replay);
    }

    /// <summary>The venue and symbol, or the error line (<c>perpguard &lt;command&gt; BTCUSDT --venue …</c> as the example).</summary>
    public bool TryResolve(ParseResult parse, string command, out Instrument instrument, out string error)
    {
        instrument = null!;
        error = "";
        var venueText = parse.GetValue(Venue);
        if (!VenueRules.TryParseVenue(venueText, out var venue))
        {
            error = $"--venue '{venueText}' is not a venue; use binance, bybit, hyperliquid or okx (e.g. --venue bybit)";
            return false;
        }
        var symbolText = parse.GetValue(Symbol);
        if (VenueSymbols.TryResolve(venue, symbolText, out instrument)) return true;
        error = $"'{symbolText}' is not a symbol; write it like BTCUSDT, BTC or BTC-USDT-SWAP (e.g. perpguard {command} BTCUSDT --venue {venue.Name()})";
        return false;
    }

    /// <summary>The scenario <c>--replay</c> names (null when not given), or the error line.</summary>
    public bool TryLoadReplay(ParseResult parse, out ReplayScenario? scenario, out string error)
    {
        scenario = null;
        error = "";
        if (parse.GetValue(Replay) is not { } name) return true;
        try
        {
            scenario = ReplayScenario.Load(name);
            return true;
        }
        catch (ReplayFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Writes <c>error: …</c> and returns the invalid-input exit code.</summary>
    public static async Task<int> FailAsync(CliStreams streams, string message)
    {
        await streams.Error.WriteLineAsync($"error: {message}");
        return CliApp.InvalidInput;
    }
}
