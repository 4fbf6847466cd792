using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Margin;

/// <summary>
/// The tier tables shipped inside this assembly (<c>Margin/tiers.json</c>), keyed by venue, contract and base asset.
/// Reading an embedded resource is not I/O against the outside world: the data is part of the code.
/// </summary>
public sealed class TierCatalog
{
    private readonly FrozenDictionary<(Venue, ContractType, string), TierTable> _tables;

    /// <summary>Creates a catalog over the given tables (later tables replace earlier ones with the same key).</summary>
    public TierCatalog(IEnumerable<TierTable> tables)
    {
        var map = new Dictionary<(Venue, ContractType, string), TierTable>();
        foreach (var t in tables) map[(t.Venue, t.Contract, t.BaseAsset)] = t;
        _tables = map.ToFrozenDictionary();
    }

    /// <summary>The tables shipped with PerpGuard.</summary>
    public static TierCatalog BuiltIn { get; } = LoadBuiltIn();

    /// <summary>Every table in the catalog.</summary>
    public IEnumerable<TierTable> Tables => _tables.Values;

    /// <summary>Finds the table for a symbol in any accepted spelling (<c>BTC</c>, <c>btcusdt</c>, <c>BTC-USDT-SWAP</c>).</summary>
    public bool TryFind(Venue venue, ContractType contract, string? symbol, out TierTable table)
    {
        table = null!;
        return SymbolName.TryParse(symbol, out var baseAsset, out _) && TryFindBase(venue, contract, baseAsset, out table);
    }

    /// <summary>Finds the table for an already-normalized base asset (<c>BTC</c>), see <see cref="SymbolName"/>.</summary>
    public bool TryFindBase(Venue venue, ContractType contract, string baseAsset, out TierTable table) =>
        _tables.TryGetValue((venue, contract, baseAsset), out table!);

    /// <summary>Parses a catalog document in the <c>tiers.json</c> format.</summary>
    /// <exception cref="JsonException">The document is not valid.</exception>
    public static TierCatalog Parse(ReadOnlySpan<byte> utf8Json)
    {
        var doc = JsonSerializer.Deserialize(utf8Json, TierJsonContext.Default.TierDocument)
            ?? throw new JsonException("Empty tier document.");
        return new TierCatalog(doc.Tables.Select(ToTable));
    }

    private static TierTable ToTable(TierTableDto t)
    {
        if (!VenueRules.TryParseVenue(t.Venue, out var venue)) throw new JsonException($"Unknown venue '{t.Venue}'.");
        var contract = t.Contract switch
        {
            "linear" => ContractType.Linear,
            "inverse" => ContractType.Inverse,
            _ => throw new JsonException($"Unknown contract '{t.Contract}'."),
        };
        var basis = t.Basis switch
        {
            "notional" => TierBasis.Notional,
            "contracts" => TierBasis.Contracts,
            _ => throw new JsonException($"Unknown basis '{t.Basis}'."),
        };
        return new TierTable(venue, contract, t.Symbol, t.Base, t.Settle, basis, t.ContractSize, t.TickSize,
            DateOnly.ParseExact(t.Taken, "yyyy-MM-dd", CultureInfo.InvariantCulture), t.Source,
            t.Tiers.Select(x => new MarginTier(x.Floor, x.Cap, x.Mmr, x.MaintenanceAmount, x.MaxLeverage)));
    }

    private static TierCatalog LoadBuiltIn()
    {
        using var stream = typeof(TierCatalog).Assembly.GetManifestResourceStream("PerpGuard.Core.tiers.json")
            ?? throw new InvalidOperationException("The built-in tier table resource is missing from PerpGuard.Core.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Parse(bytes);
    }
}

internal sealed record TierDocument(int Schema, IReadOnlyList<TierTableDto> Tables);

internal sealed record TierTableDto(
    string Venue, string Contract, string Symbol, string Base, string Settle, string Basis, double? ContractSize,
    double TickSize, string Taken, string Source, IReadOnlyList<TierDto> Tiers);

internal sealed record TierDto(double Floor, double Cap, double Mmr, double MaintenanceAmount, double MaxLeverage);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(TierDocument))]
internal sealed partial class TierJsonContext : JsonSerializerContext;
