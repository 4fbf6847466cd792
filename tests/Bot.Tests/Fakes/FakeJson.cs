using System.Globalization;
using System.Text.Json;

namespace PerpGuard.Bot.Tests.Fakes;

/// <summary>Lenient reads of request bodies for the platform fakes (platforms accept numbers sent as strings).</summary>
internal static class FakeJson
{
    /// <summary>A property as text: a string, or a number's raw text; null when absent or another kind.</summary>
    public static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A property as a whole number, from a number or a numeric string.</summary>
    public static long? Long(JsonElement obj, string name) =>
        long.TryParse(Str(obj, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A detached element of parsed JSON.</summary>
    public static JsonElement ParseElement(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
