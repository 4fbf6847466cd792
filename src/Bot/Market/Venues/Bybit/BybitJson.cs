using System.Text.Json;
using System.Text.Json.Serialization;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Market.Venues.Bybit;

// Response shapes of the Bybit v5 endpoints we read (docs/market-apis.md §2.2). Bybit sends nearly every number as a
// string, except the envelope's retCode and time; the flexible converters (registered on the context) take either.
// Doubles start as NaN so a missing or "" field reads as "not given", not as 0.

internal sealed class BybitEnvelope<T> where T : class
{
    // long.MinValue: the body had no retCode at all, i.e. it is not a Bybit answer.
    public long RetCode { get; set; } = long.MinValue;
    public string? RetMsg { get; set; }
    public T? Result { get; set; }
    public long Time { get; set; }
}

internal sealed class BybitList<T>
{
    public string? Category { get; set; }
    public T[]? List { get; set; }
    public string? NextPageCursor { get; set; }
}

internal sealed class BybitTicker
{
    public string? Symbol { get; set; }
    public double LastPrice { get; set; } = double.NaN;
    public double IndexPrice { get; set; } = double.NaN;
    public double MarkPrice { get; set; } = double.NaN;
    public double OpenInterest { get; set; } = double.NaN;
    public double SingleOpenInterest { get; set; } = double.NaN;
    public double Turnover24h { get; set; } = double.NaN;
    public double Volume24h { get; set; } = double.NaN;
    public double FundingRate { get; set; } = double.NaN;
    public long NextFundingTime { get; set; }
    public double FundingIntervalHour { get; set; } = double.NaN;
}

internal sealed class BybitOpenInterestRow
{
    public double OpenInterest { get; set; } = double.NaN;
    public double SingleOpenInterest { get; set; } = double.NaN;
    public long Timestamp { get; set; }
}

internal sealed class BybitRiskLimit
{
    public string? Symbol { get; set; }
    public double RiskLimitValue { get; set; } = double.NaN;
    public double MaintenanceMargin { get; set; } = double.NaN;
    public double InitialMargin { get; set; } = double.NaN;
    public double MaxLeverage { get; set; } = double.NaN;
    public double MmDeduction { get; set; } = double.NaN;
}

internal sealed class BybitInstrument
{
    public string? Symbol { get; set; }
    public BybitPriceFilter? PriceFilter { get; set; }
}

internal sealed class BybitPriceFilter
{
    public double TickSize { get; set; } = double.NaN;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(FlexDoubleConverter), typeof(FlexLongConverter)])]
[JsonSerializable(typeof(BybitEnvelope<BybitList<BybitTicker>>), TypeInfoPropertyName = "Tickers")]
[JsonSerializable(typeof(BybitEnvelope<BybitList<BybitOpenInterestRow>>), TypeInfoPropertyName = "OpenInterest")]
[JsonSerializable(typeof(BybitEnvelope<BybitList<BybitRiskLimit>>), TypeInfoPropertyName = "RiskLimits")]
[JsonSerializable(typeof(BybitEnvelope<BybitList<BybitInstrument>>), TypeInfoPropertyName = "Instruments")]
internal sealed partial class BybitJsonContext : JsonSerializerContext;

/// <summary>The envelope fields read by the hand-written parsers, and the result they produced.</summary>
internal readonly record struct BybitRaw<T>(long RetCode, string? RetMsg, long Time, T Result);

/// <summary>
/// Hand-written readers for the order book (the largest body) and klines (arrays of strings), envelope included.
/// The result is read leniently (a missing side stays null) so an error answer with <c>"result":{}</c> reaches the
/// retCode check instead of failing as malformed.
/// </summary>
internal static class BybitReaders
{
    public static BybitRaw<(BookLevel[]? Bids, BookLevel[]? Asks, long TimeMs)> ReadBook(byte[] body) =>
        ReadEnvelope(body, static (ref Utf8JsonReader reader) =>
        {
            BookLevel[]? bids = null, asks = null;
            long ts = 0;
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return (bids, asks, ts); }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                var isBids = name.SequenceEqual("b"u8);
                var isAsks = !isBids && name.SequenceEqual("a"u8);
                var isTs = name.SequenceEqual("ts"u8);
                if (!reader.Read()) throw new JsonException("truncated");
                if (isBids) bids = BookLevelsJson.Read(ref reader);
                else if (isAsks) asks = BookLevelsJson.Read(ref reader);
                else if (isTs) ts = FlexibleJson.ReadLong(ref reader);
                else reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated result");
            return (bids, asks, ts);
        });

    /// <summary>
    /// <c>result.list</c> of <c>[startTime, open, high, low, close, volume, turnover]</c> (the mark-price kline stops
    /// after close). Strings or numbers in any position.
    /// </summary>
    public static BybitRaw<List<BybitKline>?> ReadKlines(byte[] body) =>
        ReadEnvelope(body, static (ref Utf8JsonReader reader) =>
        {
            List<BybitKline>? rows = null;
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return rows; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isList = reader.ValueSpan.SequenceEqual("list"u8);
                if (!reader.Read()) throw new JsonException("truncated");
                if (isList && reader.TokenType == JsonTokenType.StartArray) rows = ReadKlineRows(ref reader);
                else reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated result");
            return rows;
        });

    private static List<BybitKline> ReadKlineRows(ref Utf8JsonReader reader)
    {
        var rows = new List<BybitKline>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a kline array");
            var row = new BybitKline { Volume = double.NaN, Turnover = double.NaN };
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                switch (index)
                {
                    case 0: row.Start = FlexibleJson.ReadLong(ref reader); break;
                    case 1: row.Open = FlexibleJson.ReadDouble(ref reader); break;
                    case 2: row.High = FlexibleJson.ReadDouble(ref reader); break;
                    case 3: row.Low = FlexibleJson.ReadDouble(ref reader); break;
                    case 4: row.Close = FlexibleJson.ReadDouble(ref reader); break;
                    case 5: row.Volume = FlexibleJson.ReadDouble(ref reader); break;
                    case 6: row.Turnover = FlexibleJson.ReadDouble(ref reader); break;
                    default: reader.Skip(); break;
                }
                index++;
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated kline");
            if (index < 5) throw new JsonException($"a kline has {index} fields, expected 7");
            rows.Add(row);
        }
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated kline list");
        return rows;
    }

    private delegate T ResultReader<T>(ref Utf8JsonReader reader);

    private static BybitRaw<T> ReadEnvelope<T>(byte[] body, ResultReader<T> readResult)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an object");
        long retCode = long.MinValue, time = 0;
        string? retMsg = null;
        T result = default!;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var isCode = name.SequenceEqual("retCode"u8);
            var isMsg = name.SequenceEqual("retMsg"u8);
            var isTime = name.SequenceEqual("time"u8);
            var isResult = name.SequenceEqual("result"u8);
            if (!reader.Read()) throw new JsonException("truncated");
            if (isCode) retCode = FlexibleJson.ReadLong(ref reader);
            else if (isMsg && reader.TokenType == JsonTokenType.String) retMsg = reader.GetString();
            else if (isTime) time = FlexibleJson.ReadLong(ref reader);
            else if (isResult) result = readResult(ref reader);
            else reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated");
        return new BybitRaw<T>(retCode, retMsg, time, result);
    }
}

/// <summary>One kline as sent, before it is checked and turned into a <see cref="Bar"/>.</summary>
internal struct BybitKline
{
    public long Start;
    public double Open, High, Low, Close, Volume, Turnover;
}
