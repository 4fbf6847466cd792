using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Market.Venues.Okx;

// Shapes of OKX v5 public answers (../docs/market-apis.md §4.2). Everything is a string on the wire, including
// timestamps; the flex converters also take numbers. Numeric properties default to NaN so a missing field reads as
// "not given" rather than as zero.
// Properties are settable, not init-only: the source generator assigns every init-only property, a missing one as 0.

/// <summary><c>{"code":"0","msg":"","data":[…]}</c>; <c>code</c> is a string and anything but "0" is an error.</summary>
internal sealed class OkxEnvelope<T>
{
    [JsonConverter(typeof(OkxCodeConverter))] public string? Code { get; set; }
    public string? Msg { get; set; }
    public List<T>? Data { get; set; }
}

internal sealed class OkxInstrument
{
    public string InstId { get; set; } = "";
    public string InstFamily { get; set; } = "";
    public string Uly { get; set; } = "";
    public string CtType { get; set; } = "";
    public double CtVal { get; set; } = double.NaN;
    public string CtValCcy { get; set; } = "";
    public string SettleCcy { get; set; } = "";
    public double TickSz { get; set; } = double.NaN;
    public string State { get; set; } = "";
}

internal sealed class OkxMarkPrice
{
    public string InstId { get; set; } = "";
    public double MarkPx { get; set; } = double.NaN;
    public long Ts { get; set; }
}

internal sealed class OkxTicker
{
    public string InstId { get; set; } = "";
    public double Last { get; set; } = double.NaN;
    public double Vol24h { get; set; } = double.NaN;
    public double VolCcy24h { get; set; } = double.NaN;
    public long Ts { get; set; }
}

internal sealed class OkxIndexTicker
{
    public string InstId { get; set; } = "";
    public double IdxPx { get; set; } = double.NaN;
    public long Ts { get; set; }
}

internal sealed class OkxFundingRate
{
    public string InstId { get; set; } = "";
    public double FundingRate { get; set; } = double.NaN;
    public long FundingTime { get; set; }
    public long NextFundingTime { get; set; }
    public long Ts { get; set; }
}

internal sealed class OkxOpenInterest
{
    public string InstId { get; set; } = "";
    public double Oi { get; set; } = double.NaN;
    public double OiCcy { get; set; } = double.NaN;
    public double OiUsd { get; set; } = double.NaN;
    public long Ts { get; set; }
}

internal sealed class OkxPositionTier
{
    public string InstFamily { get; set; } = "";
    public string Uly { get; set; } = "";
    public long Tier { get; set; }
    public double MinSz { get; set; } = double.NaN;
    public double MaxSz { get; set; } = double.NaN;
    public double Mmr { get; set; } = double.NaN;
    public double MaxLever { get; set; } = double.NaN;
}

/// <summary>An array row (<c>[ts, o, h, l, c, …]</c>, <c>[ts, oi, oiCcy, oiUsd]</c>), every element read as a number.</summary>
[JsonConverter(typeof(OkxRowConverter))]
internal sealed class OkxRow(double[] values)
{
    /// <summary>The element at <paramref name="index"/>, NaN when the row is shorter.</summary>
    public double this[int index] => index < values.Length ? values[index] : double.NaN;

    public int Count => values.Length;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(FlexDoubleConverter), typeof(FlexLongConverter)])]
[JsonSerializable(typeof(OkxEnvelope<OkxInstrument>))]
[JsonSerializable(typeof(OkxEnvelope<OkxMarkPrice>))]
[JsonSerializable(typeof(OkxEnvelope<OkxTicker>))]
[JsonSerializable(typeof(OkxEnvelope<OkxIndexTicker>))]
[JsonSerializable(typeof(OkxEnvelope<OkxFundingRate>))]
[JsonSerializable(typeof(OkxEnvelope<OkxOpenInterest>))]
[JsonSerializable(typeof(OkxEnvelope<OkxPositionTier>))]
[JsonSerializable(typeof(OkxEnvelope<OkxRow>))]
internal sealed partial class OkxJsonContext : JsonSerializerContext;

/// <summary>The envelope code as text whether it arrives as "0" (documented) or 0.</summary>
internal sealed class OkxCodeConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : reader.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"code is a {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("OKX answers are only read.");
}

internal sealed class OkxRowConverter : JsonConverter<OkxRow>
{
    public override OkxRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a row array");
        var values = new List<double>(9);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) values.Add(FlexibleJson.ReadDouble(ref reader));
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated row");
        return new OkxRow([.. values]);
    }

    public override void Write(Utf8JsonWriter writer, OkxRow value, JsonSerializerOptions options) =>
        throw new NotSupportedException("OKX answers are only read.");
}

/// <summary>
/// Reads <c>/api/v5/market/books</c> (<c>{code, msg, data:[{asks, bids, ts}]}</c>) with <see cref="BookLevelsJson"/>,
/// without building a DOM; sizes are multiplied by the contract value on the way.
/// </summary>
internal static class OkxBookJson
{
    public static (string? Code, string? Msg, bool HasData, long TsMs, BookLevel[] Bids, BookLevel[] Asks) Read(ReadOnlySpan<byte> utf8, double sizeMultiplier)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an envelope object");
        string? code = null, msg = null;
        var hasData = false;
        long ts = 0;
        BookLevel[] bids = [], asks = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals("code"u8) ? 1 : reader.ValueTextEquals("msg"u8) ? 2 : reader.ValueTextEquals("data"u8) ? 3 : 0;
            if (!reader.Read()) break;
            switch (name)
            {
                case 1:
                    code = reader.TokenType == JsonTokenType.String ? reader.GetString()
                        : reader.TokenType == JsonTokenType.Number ? FlexibleJson.ReadLong(ref reader).ToString(CultureInfo.InvariantCulture) : null;
                    break;
                case 2:
                    msg = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject) reader.Skip();
                    break;
                case 3 when reader.TokenType == JsonTokenType.StartArray:
                    // data holds one book; later elements (none in practice) are skipped.
                    var first = true;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (!first || reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                        first = false;
                        hasData = true;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var field = reader.ValueTextEquals("bids"u8) ? 1 : reader.ValueTextEquals("asks"u8) ? 2 : reader.ValueTextEquals("ts"u8) ? 3 : 0;
                            if (!reader.Read()) break;
                            if (field == 1) bids = BookLevelsJson.Read(ref reader, sizeMultiplier);
                            else if (field == 2) asks = BookLevelsJson.Read(ref reader, sizeMultiplier);
                            else if (field == 3) ts = FlexibleJson.ReadLong(ref reader);
                            else reader.Skip();
                        }
                        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated book");
                    }
                    if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated data");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated envelope");
        return (code, msg, hasData, ts, bids, asks);
    }
}
