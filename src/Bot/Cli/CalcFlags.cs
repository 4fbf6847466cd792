namespace PerpGuard.Bot.Cli;

/// <summary>The <c>calc</c> flag that sets each request field.</summary>
internal static class CalcFlags
{
    /// <summary>The flag for a snake_case field, or null for fields only JSONL can set (other_positions, id).</summary>
    public static string? Flag(string field) => field switch
    {
        "wallet_balance" => "--wallet",
        "volatility" => "--vol",
        "horizon_hours" => "--horizon",
        "funding_interval_hours" => "--funding-interval",
        "id" => null,
        _ when field.StartsWith("other_positions", StringComparison.Ordinal) => null,
        _ => "--" + field.Replace('_', '-'),
    };
}
