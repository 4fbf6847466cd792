using System.Text.Json;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Market.Http;

/// <summary>
/// Reads the array-of-arrays level lists of Binance (<c>[["px","qty"]]</c>), Bybit (<c>[["px","sz"]]</c>) and OKX
/// (<c>[["px","sz","0","n"]]</c>) without allocating per level: the order book is the largest and most frequent body
/// PerpGuard parses. Extra elements per level are skipped.
/// </summary>
public static class BookLevelsJson
{
    /// <summary>
    /// Reads the array at the reader's current <see cref="JsonTokenType.StartArray"/> token, leaving the reader on its
    /// <see cref="JsonTokenType.EndArray"/>. Sizes are multiplied by <paramref name="sizeMultiplier"/> (OKX contract value).
    /// </summary>
    /// <exception cref="JsonException">The array is not a list of [price, size, ...] levels.</exception>
    public static BookLevel[] Read(ref Utf8JsonReader reader, double sizeMultiplier = 1)
    {
        if (reader.TokenType == JsonTokenType.Null) return [];
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected an array of levels");
        var levels = new List<BookLevel>(64);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a [price, size] level");
            if (!reader.Read()) throw new JsonException("truncated level");
            var price = FlexibleJson.ReadDouble(ref reader);
            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray) throw new JsonException("a level has no size");
            var size = FlexibleJson.ReadDouble(ref reader) * sizeMultiplier;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject) reader.Skip();
            if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated level");
            levels.Add(new BookLevel(price, size));
        }
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("truncated level list");
        return [.. levels];
    }
}
