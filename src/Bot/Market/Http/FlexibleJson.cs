using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerpGuard.Bot.Market.Http;

/// <summary>
/// A double sent as a JSON number or as a decimal string (venues do both, and change their minds): <c>"60000.1"</c>,
/// <c>60000.1</c>. Null, <c>""</c> and a missing value read as NaN, which <see cref="Core.Market.MarketSanity"/> and the
/// clients treat as "not given". Anything else is a <see cref="JsonException"/>.
/// </summary>
public sealed class FlexDoubleConverter : JsonConverter<double>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => FlexibleJson.ReadDouble(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}

/// <summary>An integer (epoch milliseconds, ids) sent as a JSON number or a string. Null and <c>""</c> read as 0.</summary>
public sealed class FlexLongConverter : JsonConverter<long>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => FlexibleJson.ReadLong(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}

/// <summary>Reader helpers shared by the converters and the hand-written fast parsers (order books, klines).</summary>
public static class FlexibleJson
{
    /// <summary>Reads the current token as a double: number, numeric string, or null/empty (NaN).</summary>
    public static double ReadDouble(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetDouble();
            case JsonTokenType.Null:
                return double.NaN;
            case JsonTokenType.String:
                var span = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
                if (span.Length == 0) return double.NaN;
                if (Utf8Parser.TryParse(span, out double value, out var consumed) && consumed == span.Length) return value;
                // Rare spellings (exponent with '+', "NaN", "Infinity") go through the full parser.
                var text = reader.GetString();
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return value;
                throw new JsonException($"'{Shorten(text)}' is not a number");
            default:
                throw new JsonException($"expected a number, got {reader.TokenType}");
        }
    }

    /// <summary>Reads the current token as an integer: number, numeric string, or null/empty (0).</summary>
    public static long ReadLong(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var n)) return n;
                return checked((long)reader.GetDouble());
            case JsonTokenType.Null:
                return 0;
            case JsonTokenType.String:
                var span = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
                if (span.Length == 0) return 0;
                if (Utf8Parser.TryParse(span, out long value, out var consumed) && consumed == span.Length) return value;
                throw new JsonException($"'{Shorten(reader.GetString())}' is not an integer");
            default:
                throw new JsonException($"expected an integer, got {reader.TokenType}");
        }
    }

    /// <summary>Epoch milliseconds to a time; 0 (not given) maps to null.</summary>
    public static DateTimeOffset? FromMs(long ms) => ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}
