using System.Collections.Frozen;

namespace PerpGuard.Core.Calculator;

/// <summary>The fields of a <see cref="CalcRequest"/> by their snake_case names, with a valid example of each.</summary>
public static class CalcFields
{
    private static readonly FrozenDictionary<string, string> Examples = new Dictionary<string, string>
    {
        ["id"] = "\"pos-1\"",
        ["venue"] = "\"bybit\"",
        ["symbol"] = "\"BTCUSDT\"",
        ["contract"] = "\"linear\"",
        ["margin_mode"] = "\"isolated\"",
        ["side"] = "\"long\"",
        ["entry"] = "60000",
        ["qty"] = "0.5",
        ["contract_size"] = "100",
        ["leverage"] = "20",
        ["margin"] = "1500",
        ["wallet_balance"] = "5000",
        ["mark"] = "61000",
        ["mmr"] = "0.005",
        ["maintenance_amount"] = "50",
        ["taker_fee"] = "0.0005",
        ["other_positions"] = "[{\"symbol\": \"ETHUSDT\", \"side\": \"long\", \"qty\": 2, \"entry\": 3000, \"mark\": 3100}]",
        ["funding_rate"] = "0.0001",
        ["funding_interval_hours"] = "8",
        ["volatility"] = "0.6",
        ["horizon_hours"] = "24",
        ["formula"] = "\"at_mark\"",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, string> OtherExamples = new Dictionary<string, string>
    {
        ["symbol"] = "\"ETHUSDT\"", ["side"] = "\"long\"", ["qty"] = "2", ["entry"] = "3000", ["mark"] = "3100",
        ["mmr"] = "0.005", ["maintenance_amount"] = "50", ["contract_size"] = "10",
    }.ToFrozenDictionary();

    /// <summary>Every top-level field name.</summary>
    public static IEnumerable<string> Names => Examples.Keys;

    /// <summary>Whether <paramref name="name"/> is a top-level request field.</summary>
    public static bool IsField(string name) => Examples.ContainsKey(name);

    /// <summary>Whether <paramref name="name"/> is a field of an <c>other_positions</c> item.</summary>
    public static bool IsOtherPositionField(string name) => OtherExamples.ContainsKey(name);

    /// <summary>
    /// A valid example value (a JSON token) for <paramref name="field"/>, which may be an item path such as
    /// <c>other_positions[0].qty</c>; a generic hint for unknown names.
    /// </summary>
    public static string Example(string field)
    {
        var dot = field.LastIndexOf('.');
        if (field.StartsWith("other_positions[", StringComparison.Ordinal) && dot > 0)
            return OtherExamples.GetValueOrDefault(field[(dot + 1)..], "0");
        return Examples.GetValueOrDefault(field, "\"...\"");
    }
}
