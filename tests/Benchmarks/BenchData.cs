using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary>Adds the throughput column (Op/s = 1 s ÷ Mean, per operation after OperationsPerInvoke).</summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public ThroughputConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
}

/// <summary>Deterministic inputs shared by the benchmarks (seeded, so every run measures the same work).</summary>
internal static class BenchData
{
    /// <summary>Batch size of the micro benchmarks.</summary>
    public const int BatchSize = 1024;

    /// <summary>Seed of every generator.</summary>
    public const int Seed = 20_260_101;

    private static readonly Lazy<(TierCatalog Catalog, string Description)> CatalogValue = new(LoadCatalog);

    /// <summary>The built-in tier catalog, or (while tiers.json is incomplete) the same data with gaps filled.</summary>
    public static TierCatalog Catalog => CatalogValue.Value.Catalog;

    /// <summary>Where <see cref="Catalog"/> came from, printed in the benchmark log.</summary>
    public static string CatalogDescription => CatalogValue.Value.Description;

    /// <summary>A calculator over <see cref="Catalog"/> and default fees (<c>RiskCalculator.Default</c> when the built-in loads).</summary>
    public static RiskCalculator Calculator =>
        CatalogValue.Value.Description == BuiltIn ? RiskCalculator.Default : new RiskCalculator(Catalog, new CalculatorDefaults());

    /// <summary>The Binance USDⓈ-M BTCUSDT brackets.</summary>
    public static MaintenanceSchedule BinanceBtc => Table(Venue.Binance, "BTCUSDT");

    /// <summary>A venue's linear table for <paramref name="symbol"/> as a schedule.</summary>
    public static MaintenanceSchedule Table(Venue venue, string symbol) =>
        Catalog.TryFind(venue, ContractType.Linear, symbol, out var table)
            ? MaintenanceSchedule.FromTable(table)
            : throw new InvalidOperationException($"No built-in {venue.Name()} linear table for {symbol}.");

    /// <summary>Log-uniform draw in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static double LogUniform(Random random, double min, double max) =>
        Math.Exp(Math.Log(min) + random.NextDouble() * (Math.Log(max) - Math.Log(min)));

    /// <summary>Uniform draw in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static double Uniform(Random random, double min, double max) => min + random.NextDouble() * (max - min);

    /// <summary>
    /// A Binance BTCUSDT-like position: entry 60k–110k, notional log-uniform 1k–50M (brackets 1–5), leverage 2–100
    /// capped at the entry bracket's maximum. Returns side, quantity, entry and leverage.
    /// </summary>
    public static (PositionSide Side, double Quantity, double Entry, double Leverage) BtcPosition(Random random, MaintenanceSchedule brackets)
    {
        var side = random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short;
        var entry = Math.Round(Uniform(random, 60_000, 110_000), 1);
        var quantity = Math.Round(LogUniform(random, 1_000, 50_000_000) / entry, 3);
        var maxLeverage = Math.Min(100, brackets.At(ContractType.Linear, quantity, 1, entry).MaxLeverage);
        var leverage = random.Next(2, (int)maxLeverage + 1);
        return (side, quantity, entry, leverage);
    }

    private const string BuiltIn = "built-in (TierCatalog.BuiltIn)";

    /// <summary>
    /// Reads the embedded tiers.json without touching <see cref="TierCatalog.BuiltIn"/> (whose type initializer would
    /// fail for good on an incomplete file): when every <c>max_leverage</c> is set, uses the built-in catalog;
    /// otherwise fills each null with <c>⌊1 / (2·mmr)⌋</c> clamped to [1, 100] so the benchmarks still run on the real brackets.
    /// </summary>
    private static (TierCatalog, string) LoadCatalog()
    {
        using var stream = typeof(TierCatalog).Assembly.GetManifestResourceStream("PerpGuard.Core.tiers.json")
            ?? throw new InvalidOperationException("tiers.json resource missing.");
        var root = JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
            ?? throw new InvalidOperationException("tiers.json is empty.");
        var filled = 0;
        foreach (var table in root["tables"]!.AsArray())
            foreach (var tier in table!["tiers"]!.AsArray())
            {
                if (tier!["max_leverage"] is not null) continue;
                var mmr = tier["mmr"]!.GetValue<double>();
                tier["max_leverage"] = mmr > 0 ? Math.Clamp(Math.Floor(1 / (2 * mmr)), 1, 100) : 100;
                filled++;
            }
        if (filled == 0) return (TierCatalog.BuiltIn, BuiltIn);
        var catalog = TierCatalog.Parse(JsonSerializer.SerializeToUtf8Bytes(root));
        return (catalog, string.Create(CultureInfo.InvariantCulture,
            $"embedded tiers.json with {filled} null max_leverage values filled (TierCatalog.BuiltIn would throw)"));
    }
}
