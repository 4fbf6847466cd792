using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Market.Venues.Hyperliquid;

// Shapes of Hyperliquid's POST /info answers (../docs/market-apis.md §3.2). Numbers arrive as strings ("83757.0") or
// numbers (maxLeverage 40); both go through the flex converters. Numeric properties default to NaN so that a missing
// field reads as "not given" rather than as zero.
// Properties are settable, not init-only: the source generator assigns every init-only property, a missing one as 0.

/// <summary><c>{"type":"metaAndAssetCtxs"}</c>: <c>[meta, ctxs]</c>, ctxs[i] belonging to universe[i].</summary>
[JsonConverter(typeof(HlMetaAndCtxsConverter))]
internal sealed class HlMetaAndCtxs
{
    public required HlMeta Meta { get; set; }
    public required IReadOnlyList<HlAssetCtx> Ctxs { get; set; }
}

internal sealed class HlMeta
{
    public List<HlAsset> Universe { get; set; } = [];
    public List<HlMarginTableEntry> MarginTables { get; set; } = [];
}

internal sealed class HlAsset
{
    public string Name { get; set; } = "";
    public long SzDecimals { get; set; }
    public double MaxLeverage { get; set; } = double.NaN;
    public long? MarginTableId { get; set; }
    public bool IsDelisted { get; set; }
}

/// <summary>One <c>[id, {description, marginTiers}]</c> pair of <c>meta.marginTables</c>.</summary>
[JsonConverter(typeof(HlMarginTableEntryConverter))]
internal sealed class HlMarginTableEntry
{
    public long Id { get; set; }
    public required HlMarginTable Table { get; set; }
}

internal sealed class HlMarginTable
{
    public string Description { get; set; } = "";
    public List<HlMarginTier> MarginTiers { get; set; } = [];
}

internal sealed class HlMarginTier
{
    public double LowerBound { get; set; } = double.NaN;
    public double MaxLeverage { get; set; } = double.NaN;
}

internal sealed class HlAssetCtx
{
    public double Funding { get; set; } = double.NaN;
    public double OpenInterest { get; set; } = double.NaN;
    public double DayNtlVlm { get; set; } = double.NaN;
    public double DayBaseVlm { get; set; } = double.NaN;
    public double OraclePx { get; set; } = double.NaN;
    public double MarkPx { get; set; } = double.NaN;
    public double MidPx { get; set; } = double.NaN;
}

internal sealed class HlCandle
{
    [JsonPropertyName("t")] public long OpenMs { get; set; }
    [JsonPropertyName("T")] public long CloseMs { get; set; }
    [JsonPropertyName("o")] public double Open { get; set; } = double.NaN;
    [JsonPropertyName("h")] public double High { get; set; } = double.NaN;
    [JsonPropertyName("l")] public double Low { get; set; } = double.NaN;
    [JsonPropertyName("c")] public double Close { get; set; } = double.NaN;
    [JsonPropertyName("v")] public double Volume { get; set; } = double.NaN;
}

// Request bodies (serialised, so coin names are escaped properly).
internal sealed record HlTypeRequest(string Type);
internal sealed record HlCoinRequest(string Type, string Coin);
internal sealed record HlCandleRequest(string Type, HlCandleWindow Req);
internal sealed record HlCandleWindow(string Coin, string Interval, long StartTime, long EndTime);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(FlexDoubleConverter), typeof(FlexLongConverter)])]
[JsonSerializable(typeof(HlMetaAndCtxs))]
[JsonSerializable(typeof(HlMeta))]
[JsonSerializable(typeof(List<HlAssetCtx>))]
[JsonSerializable(typeof(HlMarginTable))]
[JsonSerializable(typeof(List<HlCandle>))]
[JsonSerializable(typeof(HlTypeRequest))]
[JsonSerializable(typeof(HlCoinRequest))]
[JsonSerializable(typeof(HlCandleRequest))]
internal sealed partial class HyperliquidJsonContext : JsonSerializerContext;

internal sealed class HlMetaAndCtxsConverter : JsonConverter<HlMetaAndCtxs>
{
    public override HlMetaAndCtxs Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected [meta, ctxs]");
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected the meta object first");
        var meta = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<HlMeta>)options.GetTypeInfo(typeof(HlMeta)))
            ?? throw new JsonException("meta is null");
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected the ctx array second");
        var ctxs = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<List<HlAssetCtx>>)options.GetTypeInfo(typeof(List<HlAssetCtx>)))
            ?? throw new JsonException("ctxs is null");
        if (ctxs.Any(c => c is null)) throw new JsonException("a ctx is null");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) reader.Skip();
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated [meta, ctxs]");
        return new HlMetaAndCtxs { Meta = meta, Ctxs = ctxs };
    }

    public override void Write(Utf8JsonWriter writer, HlMetaAndCtxs value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Hyperliquid answers are only read.");
}

internal sealed class HlMarginTableEntryConverter : JsonConverter<HlMarginTableEntry>
{
    public override HlMarginTableEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a [id, table] margin table");
        if (!reader.Read()) throw new JsonException("truncated margin table");
        var id = FlexibleJson.ReadLong(ref reader);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a margin table object");
        var table = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<HlMarginTable>)options.GetTypeInfo(typeof(HlMarginTable)))
            ?? throw new JsonException("margin table is null");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) reader.Skip();
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated margin table");
        return new HlMarginTableEntry { Id = id, Table = table };
    }

    public override void Write(Utf8JsonWriter writer, HlMarginTableEntry value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Hyperliquid answers are only read.");
}

/// <summary>
/// Reads <c>l2Book</c>: <c>{coin, time, levels:[bids[], asks[]]}</c> with levels as objects <c>{px, sz, n}</c> (not the
/// array levels <see cref="BookLevelsJson"/> reads), without building a DOM.
/// </summary>
internal static class HlBookJson
{
    public static (long TimeMs, BookLevel[] Bids, BookLevel[] Asks) Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a book object");
        long time = 0;
        BookLevel[]? bids = null, asks = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTime = reader.ValueTextEquals("time"u8);
            var isLevels = reader.ValueTextEquals("levels"u8);
            if (!reader.Read()) break;
            if (isTime) time = FlexibleJson.ReadLong(ref reader);
            else if (isLevels)
            {
                if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("levels is not [bids, asks]");
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw new JsonException("levels has no bids");
                bids = Side(ref reader);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw new JsonException("levels has no asks");
                asks = Side(ref reader);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) reader.Skip();
                if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated levels");
            }
            else reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated book");
        if (bids is null || asks is null) throw new JsonException("the book has no levels");
        return (time, bids, asks);
    }

    private static BookLevel[] Side(ref Utf8JsonReader reader)
    {
        var levels = new List<BookLevel>(20);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a {px, sz, n} level");
            double px = double.NaN, sz = double.NaN;
            bool hasPx = false, hasSz = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isPx = reader.ValueTextEquals("px"u8);
                var isSz = reader.ValueTextEquals("sz"u8);
                if (!reader.Read()) break;
                if (isPx) { px = FlexibleJson.ReadDouble(ref reader); hasPx = true; }
                else if (isSz) { sz = FlexibleJson.ReadDouble(ref reader); hasSz = true; }
                else reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated level");
            if (!hasPx || !hasSz) throw new JsonException("a level has no px or sz");
            levels.Add(new BookLevel(px, sz));
        }
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated level list");
        return [.. levels];
    }
}
