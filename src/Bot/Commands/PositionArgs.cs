using PerpGuard.Core.Calculator;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Text;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Commands;

/// <summary>A position as typed after <c>/add</c> or <c>/liq</c>: syntax checked, ranges not yet (the calculator checks those).</summary>
public sealed record PositionDraft
{
    /// <summary>Venue, or null for the user's default.</summary>
    public Venue? Venue { get; init; }
    /// <summary>Symbol as typed.</summary>
    public required string Symbol { get; init; }
    /// <summary>Long or short.</summary>
    public PositionSide Side { get; init; }
    /// <summary>Size.</summary>
    public double Qty { get; init; }
    /// <summary>Entry price.</summary>
    public double Entry { get; init; }
    /// <summary>Leverage, when given.</summary>
    public double? Leverage { get; init; }
    /// <summary>Margin mode, when given (isolated by default).</summary>
    public MarginMode? Mode { get; init; }
    /// <summary>Isolated margin.</summary>
    public double? Margin { get; init; }
    /// <summary>Cross wallet balance.</summary>
    public double? Wallet { get; init; }
    /// <summary>Maintenance rate override.</summary>
    public double? Mmr { get; init; }
    /// <summary>Free-text label.</summary>
    public string? Label { get; init; }
    /// <summary><c>/liq</c> only: mark price for distance.</summary>
    public double? Mark { get; init; }
}

/// <summary>A wrong argument: which one, and what is wrong with it.</summary>
/// <param name="Argument">Argument name as the usage line spells it (<c>entry</c>, <c>leverage</c>).</param>
/// <param name="Problem">What is wrong, e.g. <c>'6O000' is not a number</c>.</param>
public sealed record ArgumentError(string Argument, string Problem)
{
    /// <summary><c>entry: '6O000' is not a number</c>.</summary>
    public override string ToString() => $"{Argument}: {Problem}";
}

/// <summary>
/// Parses the forgiving position syntax traders actually type:
/// <c>[venue] &lt;symbol&gt; &lt;long|short&gt; &lt;qty&gt; [@] &lt;entry&gt; [x20|20x|20] [isolated|cross] [margin n] [wallet n] [mmr r] [label text]</c>.
/// </summary>
public static class PositionArgs
{
    private const string Keywords = "x<leverage>, isolated, cross, margin <amount>, wallet <amount>, mmr <rate>, label <text>";

    /// <summary>Parses <paramref name="tokens"/>; <paramref name="allowMark"/> admits <c>mark &lt;price&gt;</c> (for <c>/liq</c>).</summary>
    public static bool TryParse(IReadOnlyList<string> tokens, bool allowMark, out PositionDraft draft, out ArgumentError error)
    {
        draft = new PositionDraft { Symbol = "" };
        error = new ArgumentError("", "");
        var i = 0;
        Venue? venue = null;
        if (tokens.Count == 0) return Fail(new("symbol", "is missing"), out error);
        if (VenueRules.TryParseVenue(tokens[0], out var v))
        {
            venue = v;
            i = 1;
        }
        else if (tokens.Count >= 3 && !IsSide(tokens[1]) && IsSide(tokens[2]))
        {
            return Fail(new("venue", $"'{CommandText.Shorten(tokens[0])}' is not a venue; use binance, bybit, hyperliquid or okx"), out error);
        }

        if (i >= tokens.Count) return Fail(new("symbol", "is missing"), out error);
        var symbol = tokens[i++];
        if (symbol.Length > Storage.Position.MaxSymbolLength || !SymbolName.TryParse(symbol, out _, out _))
            return Fail(new("symbol", $"'{CommandText.Shorten(symbol)}' is not a symbol"), out error);

        if (i >= tokens.Count) return Fail(new("side", "is missing; use long or short"), out error);
        if (!TrySide(tokens[i++], out var side, out error)) return false;

        if (i >= tokens.Count) return Fail(new("qty", "is missing"), out error);
        if (!TryNumber(tokens[i++], "qty", out var qty, out error)) return false;

        if (i < tokens.Count && (tokens[i] == "@" || tokens[i].Equals("at", StringComparison.OrdinalIgnoreCase))) i++;
        if (i >= tokens.Count || IsLeverageToken(tokens[i])) return Fail(new("entry", "is missing"), out error);
        if (!TryNumber(tokens[i++], "entry", out var entry, out error)) return false;

        double? leverage = null, margin = null, wallet = null, mmr = null, mark = null;
        MarginMode? mode = null;
        string? label = null;
        var afterEntry = true;
        while (i < tokens.Count)
        {
            var t = tokens[i];
            var word = t.ToLowerInvariant();
            if (word is "label" or "note")
            {
                if (!TryLabel(tokens.Skip(i + 1), out label, out error)) return false;
                if (label.Length == 0) return Fail(new("label", "is empty; write the text after it, e.g. label swing"), out error);
                break;
            }
            if (RiskCalculator.TryParseMode(word, out var m))
            {
                if (mode is not null) return Fail(new("mode", "is given twice"), out error);
                mode = m;
                i++;
            }
            else if (word is "x" or "lev" or "leverage")
            {
                if (leverage is not null) return Fail(new("leverage", "is given twice"), out error);
                if (i + 1 >= tokens.Count) return Fail(new("leverage", "is missing after " + t), out error);
                if (!TryLeverage(tokens[i + 1], out leverage, out error)) return false;
                i += 2;
            }
            else if (IsLeverageToken(t) || afterEntry && NumberText.TryParse(t, out _))
            {
                // "x20", "20x", or a bare number right after the entry ("/add BTC long 0.5 60000 20").
                if (leverage is not null) return Fail(new("leverage", "is given twice"), out error);
                if (!TryLeverage(t, out leverage, out error)) return false;
                i++;
            }
            else if (word is "margin" or "wallet" or "mmr" or "mark")
            {
                if (word == "mark" && !allowMark)
                    return Fail(new("mark", "is only for /liq: for tracked positions PerpGuard reads the mark from the market"), out error);
                if (i + 1 >= tokens.Count) return Fail(new(word, "needs a value after it, e.g. " + KeywordExample(word)), out error);
                var text = tokens[i + 1];
                double value;
                if (!(word == "mmr" ? TryRate(text, word, out value, out error) : TryNumber(text, word, out value, out error))) return false;
                ref var slot = ref word == "margin" ? ref margin : ref word == "wallet" ? ref wallet : ref word == "mmr" ? ref mmr : ref mark;
                if (slot is not null) return Fail(new(word, "is given twice"), out error);
                slot = value;
                i += 2;
            }
            else
            {
                var hint = NumberText.TryParse(t, out _) ? $"; put 'margin', 'wallet' or 'x' before a number" : "";
                return Fail(new(CommandText.Shorten(t), $"is not understood after the entry{hint}. Allowed: {Keywords}{(allowMark ? ", mark <price>" : "")}"), out error);
            }
            afterEntry = false;
        }

        draft = new PositionDraft
        {
            Venue = venue, Symbol = symbol, Side = side, Qty = qty, Entry = entry, Leverage = leverage, Mode = mode,
            Margin = margin, Wallet = wallet, Mmr = mmr, Label = label, Mark = mark,
        };
        return true;
    }

    /// <summary>A number as traders write it, or an error naming <paramref name="argument"/> (with a hint for a letter O typed for a zero).</summary>
    public static bool TryNumber(string text, string argument, out double value, out ArgumentError error)
    {
        error = new ArgumentError("", "");
        if (NumberText.TryParse(text, out value) && double.IsFinite(value)) return true;
        var hint = text.Contains('O', StringComparison.OrdinalIgnoreCase) && NumberText.TryParse(text.Replace('O', '0').Replace('o', '0'), out _)
            ? " (a letter O where a zero belongs?)" : "";
        return Fail(new(argument, $"'{CommandText.Shorten(text)}' is not a number{hint}"), out error);
    }

    /// <summary>A side: <c>long</c>, <c>short</c>, <c>buy</c>, <c>sell</c>.</summary>
    public static bool TrySide(string text, out PositionSide side, out ArgumentError error)
    {
        error = new ArgumentError("", "");
        return RiskCalculator.TryParseSide(text, out side)
            || Fail(new("side", $"'{CommandText.Shorten(text)}' is not a side; use long or short"), out error);
    }

    /// <summary>A rate as <c>0.5%</c> or <c>0.005</c>.</summary>
    public static bool TryRate(string text, string argument, out double value, out ArgumentError error)
    {
        error = new ArgumentError("", "");
        return NumberText.TryParseRate(text, out value)
            || Fail(new(argument, $"'{CommandText.Shorten(text)}' is not a rate; write 0.5% or 0.005"), out error);
    }

    /// <summary>
    /// A label: the rest of the message with surrounding quotes removed (may be empty: callers word that case), or
    /// an error when it is longer than a position keeps.
    /// </summary>
    public static bool TryLabel(IEnumerable<string> rest, out string label, out ArgumentError error)
    {
        error = new ArgumentError("", "");
        label = string.Join(' ', rest).Trim().Trim('"', '\'', '“', '”').Trim();
        return label.Length <= Storage.Position.MaxLabelLength
            || Fail(new("label", $"is {label.Length} characters; at most {Storage.Position.MaxLabelLength}"), out error);
    }

    /// <summary>Leverage as <c>20</c>, <c>x20</c> or <c>20x</c>.</summary>
    public static bool TryLeverage(string text, out double? leverage, out ArgumentError error)
    {
        error = new ArgumentError("", "");
        leverage = null;
        if (NumberText.TryParseLeverage(text, out var value) && double.IsFinite(value))
        {
            leverage = value;
            return true;
        }
        return Fail(new("leverage", $"'{CommandText.Shorten(text)}' is not a leverage; write x20 or 20x"), out error);
    }

    private static bool IsSide(string token) => RiskCalculator.TryParseSide(token, out _);

    private static bool IsLeverageToken(string token) =>
        token.Length >= 2 && (token[0] is 'x' or 'X' || token[^1] is 'x' or 'X') && NumberText.TryParseLeverage(token, out _);

    private static string KeywordExample(string word) => word switch
    {
        "margin" => "margin 1500",
        "wallet" => "wallet 5000",
        "mmr" => "mmr 0.5%",
        _ => "mark 61000",
    };

    private static bool Fail(ArgumentError e, out ArgumentError error)
    {
        error = e;
        return false;
    }
}
