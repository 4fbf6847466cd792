using System.Text.Json;
using System.Text.Json.Serialization;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Market.Venues.Binance;

// Response shapes of the Binance endpoints we read (docs/market-apis.md §1.2). Every number goes through the flexible
// converters (registered on the context): Binance sends prices as strings and times as numbers today, and its docs
// show some of them the other way round. Doubles start as NaN so a missing field reads as "not given", not as 0.

internal sealed class BinancePremiumIndex
{
    public string? Symbol { get; set; }
    public double MarkPrice { get; set; } = double.NaN;
    public double IndexPrice { get; set; } = double.NaN;
    public double LastFundingRate { get; set; } = double.NaN;
    public long NextFundingTime { get; set; }
    public long Time { get; set; }
}

internal sealed class BinanceTicker24h
{
    public string? Symbol { get; set; }
    public double LastPrice { get; set; } = double.NaN;
    public double Volume { get; set; } = double.NaN;
    public double QuoteVolume { get; set; } = double.NaN;
    public long CloseTime { get; set; }
}

internal sealed class BinanceFundingInfo
{
    public string? Symbol { get; set; }
    public double FundingIntervalHours { get; set; } = double.NaN;
}

internal sealed class BinanceOpenInterest
{
    public string? Symbol { get; set; }
    public double OpenInterest { get; set; } = double.NaN;
    public long Time { get; set; }
}

internal sealed class BinanceOpenInterestHist
{
    public string? Symbol { get; set; }
    public double SumOpenInterest { get; set; } = double.NaN;
    public double SumOpenInterestValue { get; set; } = double.NaN;
    // Documented as a string, sent as a number: the flexible converter takes both.
    public long Timestamp { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(FlexDoubleConverter), typeof(FlexLongConverter)])]
[JsonSerializable(typeof(BinancePremiumIndex))]
[JsonSerializable(typeof(BinancePremiumIndex[]))]
[JsonSerializable(typeof(BinanceTicker24h))]
[JsonSerializable(typeof(BinanceTicker24h[]))]
[JsonSerializable(typeof(BinanceFundingInfo[]))]
[JsonSerializable(typeof(BinanceOpenInterest))]
[JsonSerializable(typeof(BinanceOpenInterestHist[]))]
internal sealed partial class BinanceJsonContext : JsonSerializerContext;

/// <summary>Hand-written readers for the two bodies that are large or not objects: order books and klines.</summary>
internal static class BinanceReaders
{
    /// <summary><c>{"lastUpdateId":1,"E":…,"T":…,"bids":[["px","qty"]],"asks":[…]}</c>; the time is T (matching engine), else E.</summary>
    public static (BookLevel[] Bids, BookLevel[] Asks, long TimeMs) ReadDepth(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an object");
        BookLevel[]? bids = null, asks = null;
        long transactionTime = 0, eventTime = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var isBids = name.SequenceEqual("bids"u8);
            var isAsks = !isBids && name.SequenceEqual("asks"u8);
            var isT = name.SequenceEqual("T"u8);
            var isE = name.SequenceEqual("E"u8);
            if (!reader.Read()) throw new JsonException("truncated");
            if (isBids) bids = BookLevelsJson.Read(ref reader);
            else if (isAsks) asks = BookLevelsJson.Read(ref reader);
            else if (isT) transactionTime = FlexibleJson.ReadLong(ref reader);
            else if (isE) eventTime = FlexibleJson.ReadLong(ref reader);
            else reader.Skip();
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("truncated");
        if (bids is null || asks is null) throw new JsonException("no bids or asks");
        return (bids, asks, transactionTime > 0 ? transactionTime : eventTime);
    }

    /// <summary>
    /// Kline rows <c>[openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades,
    /// "takerBuyBase", "takerBuyQuote", "ignore"]</c> (spot and perp alike). Numbers or strings in any position.
    /// </summary>
    public static List<KlineRow> ReadKlines(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected an array of klines");
        var rows = new List<KlineRow>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a kline array");
            var row = new KlineRow { QuoteVolume = double.NaN, TakerBuyVolume = double.NaN };
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                switch (index)
                {
                    case 0: row.OpenTime = FlexibleJson.ReadLong(ref reader); break;
                    case 1: row.Open = FlexibleJson.ReadDouble(ref reader); break;
                    case 2: row.High = FlexibleJson.ReadDouble(ref reader); break;
                    case 3: row.Low = FlexibleJson.ReadDouble(ref reader); break;
                    case 4: row.Close = FlexibleJson.ReadDouble(ref reader); break;
                    case 5: row.Volume = FlexibleJson.ReadDouble(ref reader); break;
                    case 6: row.CloseTime = FlexibleJson.ReadLong(ref reader); break;
                    case 7: row.QuoteVolume = FlexibleJson.ReadDouble(ref reader); break;
                    case 9: row.TakerBuyVolume = FlexibleJson.ReadDouble(ref reader); break;
                    default: reader.Skip(); break;
                }
                index++;
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated kline");
            if (index < 7) throw new JsonException($"a kline has {index} fields, expected 12");
            rows.Add(row);
        }
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated kline list");
        return rows;
    }
}

/// <summary>One kline as sent, before it is checked and turned into a <see cref="Bar"/>.</summary>
internal struct KlineRow
{
    public long OpenTime;
    public double Open, High, Low, Close, Volume;
    public long CloseTime;
    public double QuoteVolume, TakerBuyVolume;
}
