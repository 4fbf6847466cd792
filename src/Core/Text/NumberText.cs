using System.Globalization;

namespace PerpGuard.Core.Text;

/// <summary>
/// Numbers as traders type them: <c>60000</c>, <c>60,000</c>, <c>1.5k</c>, <c>2M</c>, <c>20x</c> (with
/// <see cref="TryParseLeverage"/>), <c>0.05%</c> (with <see cref="TryParseRate"/>). Anything else is rejected, so
/// <c>6O000</c> (letter O) is an error, not 6.
/// </summary>
public static class NumberText
{
    /// <summary>Parses a plain amount with optional thousands separators and a k/M/B suffix.</summary>
    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().Replace("_", "", StringComparison.Ordinal);
        var multiplier = 1.0;
        switch (s[^1])
        {
            case 'k' or 'K': multiplier = 1e3; s = s[..^1]; break;
            case 'm' or 'M': multiplier = 1e6; s = s[..^1]; break;
            case 'b' or 'B': multiplier = 1e9; s = s[..^1]; break;
        }
        if (s.Length == 0 || s.Contains(',', StringComparison.Ordinal) && !ValidThousands(s)) return false;
        if (!double.TryParse(s.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var v)) return false;
        value = v * multiplier;
        return !double.IsNaN(value);
    }

    /// <summary>Parses leverage written as <c>20</c>, <c>20x</c> or <c>x20</c>.</summary>
    public static bool TryParseLeverage(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.StartsWith('x') || s.StartsWith('X')) s = s[1..];
        else if (s.EndsWith('x') || s.EndsWith('X')) s = s[..^1];
        return TryParse(s, out value);
    }

    /// <summary>Parses a rate as a fraction (<c>0.0001</c>) or a percentage (<c>0.01%</c>).</summary>
    public static bool TryParseRate(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (!s.EndsWith('%')) return TryParse(s, out value) && !char.IsLetter(s[^1]);
        if (!TryParse(s[..^1], out var percent) || char.IsLetter(s[^2])) return false;
        value = percent / 100;
        return true;
    }

    /// <summary>Parses a duration in hours: <c>24</c>, <c>24h</c>, <c>90m</c>, <c>7d</c>, <c>2w</c>.</summary>
    public static bool TryParseHours(string? text, out double hours)
    {
        hours = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().ToLowerInvariant();
        var unit = 1.0;
        switch (s[^1])
        {
            case 'h': s = s[..^1]; break;
            case 'm': unit = 1.0 / 60; s = s[..^1]; break;
            case 'd': unit = 24; s = s[..^1]; break;
            case 'w': unit = 24 * 7; s = s[..^1]; break;
        }
        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)) return false;
        hours = v * unit;
        return true;
    }

    // "60,000" and "1,234,567.5" are thousands; "3,15" is not.
    private static bool ValidThousands(string s)
    {
        var integer = s.Split('.')[0].TrimStart('-', '+');
        var groups = integer.Split(',');
        if (groups[0].Length is 0 or > 3) return false;
        for (var i = 1; i < groups.Length; i++)
            if (groups[i].Length != 3) return false;
        return true;
    }
}
