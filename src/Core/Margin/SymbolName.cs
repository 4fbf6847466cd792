namespace PerpGuard.Core.Margin;

/// <summary>
/// Forgiving symbol normalization: <c>BTC</c>, <c>btcusdt</c>, <c>BTC-USDT-SWAP</c>, <c>BTCUSD_PERP</c> and
/// <c>BTC/USDT:USDT</c> all name the base asset BTC; the quote tells linear (USDT, USDC) from inverse (USD).
/// </summary>
public static class SymbolName
{
    private static readonly string[] Quotes = ["USDT", "USDC", "BUSD", "USD"];

    /// <summary>Splits a symbol into base asset and quote (null when the text names only the base).</summary>
    /// <returns>False when the text holds no usable symbol.</returns>
    public static bool TryParse(string? text, out string baseAsset, out string? quote)
    {
        baseAsset = ""; quote = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().ToUpperInvariant();
        foreach (var suffix in (ReadOnlySpan<string>)["-SWAP", "_PERP", ".P", "-PERP", "PERP"])
            if (s.EndsWith(suffix, StringComparison.Ordinal) && s.Length > suffix.Length) { s = s[..^suffix.Length]; break; }
        var settle = s.IndexOf(':', StringComparison.Ordinal);
        if (settle >= 0) s = s[..settle];
        var parts = s.Split(['-', '_', '/'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return false;
        if (parts.Length >= 2)
        {
            baseAsset = parts[0]; quote = parts[1];
        }
        else
        {
            baseAsset = parts[0];
            foreach (var q in Quotes)
                if (baseAsset.Length > q.Length && baseAsset.EndsWith(q, StringComparison.Ordinal))
                {
                    quote = q; baseAsset = baseAsset[..^q.Length]; break;
                }
        }
        foreach (var c in baseAsset)
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        return baseAsset.Length is > 0 and <= 20;
    }

    /// <summary>Whether a quote currency implies a coin-margined (inverse) contract.</summary>
    public static bool QuoteImpliesInverse(string? quote) => quote == "USD";
}
